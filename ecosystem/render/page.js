(function () {
  "use strict";
  // the page's data: one figure (a view), or a story's figures (one per view its steps use) and its steps
  var page = JSON.parse(document.getElementById("view-data").textContent);
  var S = page.story || null;
  var figures = (page.figures || [page]).map(function (d) { return { data: d, positions: null }; });
  var FONT = page.font || figures[0].data.font || "Helvetica, Arial, sans-serif";
  var container = document.getElementById("network");
  var tip = document.getElementById("tooltip");
  var status = document.getElementById("status");
  var sharesBox = document.getElementById("shares");
  var langButton = document.getElementById("lang");
  var legend = document.getElementById("legend");
  var timeline = document.getElementById("timeline"), slider = document.getElementById("date");
  var dateLabel = document.getElementById("date-label"), playButton = document.getElementById("play");
  var verdictBox = document.getElementById("verdict");
  // the page's own words, in English and Chinese
  var WORDS = {
    en: { clear: "Clear", present: "Present", shares: "Share labels", find: "Find: name, alias, 中文, pinyin, role",
          entities: "Entities", relations: "Relations", toggle: "Click to hide or show",
          previous: "← Previous", next: "Next →", sources: "Sources: ", sourceSep: "; ",
          step: function (i, n) { return "Step " + i + " of " + n; } },
    zh: { clear: "清除", present: "演示", shares: "显示比例", find: "查找：名称、别名、中文、拼音、角色",
          entities: "实体", relations: "关系", toggle: "点击隐藏或显示",
          previous: "← 上一步", next: "下一步 →", sources: "来源：", sourceSep: "；",
          step: function (i, n) { return "第 " + i + " 步，共 " + n + " 步"; } }
  };
  function say(word) { return WORDS[state.lang][word]; }
  var shapeClass = { box: "box", ellipse: "round", dot: "round", circle: "round", diamond: "diamond",
                     triangle: "triangle", triangleDown: "triangleDown", hexagon: "hexagon", star: "star",
                     square: "square", database: "box" };

  // the figure drawn: its data, its Graphviz picture (drawn as it is; null: vis-network lays out),
  // its date slider's data (or null), and lookups; all replaced together by useFigure
  var data, G, T, byId, edgeById, sampled, searchIndex;
  var state = { hiddenTypes: {}, hiddenCategories: {}, lang: "en", highlight: null, near: {}, shares: true,
                date: null, dateIndex: null, figure: null };
  function during(runs, index) {
    if (!runs) return false;
    for (var i = 0; i < runs.length; i++) if (runs[i][0] <= index && index <= runs[i][1]) return true;
    return false;
  }

  var ALIGN = { l: "left", c: "center", r: "right" };
  // the left edge of a text of width w drawn at x with Graphviz's alignment
  function leftOf(x, align, w) { return align === "l" ? x : align === "r" ? x - w : x - w / 2; }

  // ---------------------------------------------------------------- what is shown
  function edgeActive(e) {
    if (state.hiddenCategories[e.category]) return false;
    if (!nodeShown(e.from) || !nodeShown(e.to)) return false;
    if (T) return during(e.days, state.dateIndex);
    return true;
  }
  function nodeShown(id) {
    var n = byId[id];
    if (!n || state.hiddenTypes[n.group]) return false;
    if (T) return during(n.days, state.dateIndex);
    return true;
  }
  function lineShown(line) { return line.edges.some(function (key) { return edgeActive(edgeById[key]); }); }
  function nodeAlpha(id) {
    if (!state.highlight) return 1;
    return state.near[id] ? 1 : 0.15;
  }
  function lineAlpha(line) {
    if (!state.highlight) return 1;
    return state.near[line.from] && state.near[line.to] ? 1 : 0.1;
  }
  function nodeText(n) {
    return state.lang === "zh" && n.zh ? n.zh : n.label;
  }

  // ---------------------------------------------------------------- drawing Graphviz operations
  function dash(style, width) {
    if (style === "dashed") return [6 * Math.max(1, width / 1.5), 4 * Math.max(1, width / 1.5)];
    if (style === "dotted") return [1.5, 4];
    return [];
  }
  // ops: [["c", colour], ["C", colour], ["S", style], ["F", size, face], ["T", x, y, align, width, text],
  //       ["P"|"p"|"B"|"b"|"L", x0, y0, x1, y1, ...], ["E"|"e", x, y, rx, ry]] relative to (dx, dy)
  function run(ctx, ops, dx, dy, withText) {
    var stroke = "#000", fill = null, width = 1, style = "solid", size = 14;
    ops.forEach(function (op) {
      var kind = op[0], i;
      if (kind === "c") { stroke = op[1]; return; }
      if (kind === "C") { fill = op[1]; return; }
      if (kind === "F") { size = op[1]; return; }
      if (kind === "S") {
        var m = /^setlinewidth\(([\d.]+)\)$/.exec(op[1]);
        if (m) width = parseFloat(m[1]);
        else if (op[1] === "dashed" || op[1] === "dotted" || op[1] === "solid") style = op[1];
        return;
      }
      if (kind === "T") {
        if (!withText) return;
        ctx.font = size + "px " + FONT;
        ctx.fillStyle = stroke;
        ctx.textAlign = op[3] === "l" ? "left" : op[3] === "r" ? "right" : "center";
        ctx.textBaseline = "alphabetic";
        ctx.fillText(op[5], dx + op[1], dy + op[2], op[4] + 1);
        return;
      }
      ctx.lineWidth = width;
      ctx.setLineDash(dash(style, width));
      ctx.lineCap = style === "dotted" ? "round" : "butt";
      ctx.strokeStyle = stroke;
      ctx.beginPath();
      if (kind === "E" || kind === "e") {
        ctx.ellipse(dx + op[1], dy + op[2], op[3], op[4], 0, 0, 2 * Math.PI);
      } else {
        ctx.moveTo(dx + op[1], dy + op[2]);
        if (kind === "B" || kind === "b") {
          for (i = 3; i + 5 < op.length; i += 6) {
            ctx.bezierCurveTo(dx + op[i], dy + op[i + 1], dx + op[i + 2], dy + op[i + 3], dx + op[i + 4], dy + op[i + 5]);
          }
        } else {
          for (i = 3; i + 1 < op.length; i += 2) ctx.lineTo(dx + op[i], dy + op[i + 1]);
          if (kind !== "L") ctx.closePath();
        }
      }
      var closed = kind === "P" || kind === "E" || ((kind === "B" || kind === "b") && fill !== null);
      if (closed && fill && kind !== "p" && kind !== "e") { ctx.fillStyle = fill; ctx.fill(); }
      ctx.stroke();
      ctx.setLineDash([]);
    });
  }

  // a node of the Graphviz picture: its shape and its name (or its Chinese name)
  function renderNode(args) {
    var n = byId[args.id], g = G.nodes[args.id];
    return {
      drawNode: function () {
        var ctx = args.ctx;
        ctx.save();
        ctx.globalAlpha = nodeAlpha(args.id);
        run(ctx, g.draw, args.x, args.y, false);
        if (args.state.selected || args.state.hover) {
          ctx.lineWidth = 3; ctx.strokeStyle = "#000";
          ctx.strokeRect(args.x - g.w / 2 - 2, args.y - g.h / 2 - 2, g.w + 4, g.h + 4);
        }
        nodeLabelRows(n).forEach(function (row) {
          ctx.font = (row.bold ? "italic " : "") + row.size + "px " + FONT;
          ctx.fillStyle = row.color;
          ctx.textAlign = ALIGN[row.align];
          ctx.textBaseline = "alphabetic";
          ctx.fillText(row.text, args.x + row.x, args.y + row.y, row.width + 1);
        });
        ctx.restore();
      },
      nodeDimensions: { width: g.w, height: g.h }
    };
  }
  // the rows of a node's text: Graphviz's rows in English; the Chinese name in the same box
  function nodeLabelRows(n) {
    var g = G.nodes[n.id], rows = [], size = 14, color = "#000";
    g.text.forEach(function (op) {
      if (op[0] === "F") size = op[1];
      else if (op[0] === "c") color = op[1];
      else if (op[0] === "T") rows.push({ x: op[1], y: op[2], align: op[3], width: op[4], text: op[5], size: size,
                                          color: color });
    });
    // the role tag is the smaller text under the name (drawn in italics)
    var largest = Math.max.apply(null, rows.map(function (r) { return r.size; }).concat([0]));
    rows.forEach(function (r) { r.bold = r.size < largest; });
    if (state.lang === "zh" && n.zh && rows.length) {
      var names = rows.filter(function (r) { return !r.bold; }), tags = rows.filter(function (r) { return r.bold; });
      if (names.length) {
        var top = names[0].y - names[0].size * 0.8, bottom = names[names.length - 1].y + names[0].size * 0.2;
        var widest = Math.max.apply(null, names.map(function (r) { return r.width; }));
        var first = names[0];
        rows = [{ x: 0, y: (top + bottom) / 2 + first.size * 0.35, align: "c", width: Math.max(widest, g.w - 12),
                  text: n.zh, size: first.size, color: first.color, bold: false }].concat(tags);
      }
    }
    if (state.lang === "zh" && n.zhRole) {  // the role tag in Chinese, with or without a Chinese name
      rows = rows.map(function (row) {
        return row.bold ? Object.assign({}, row, { text: n.zhRole, x: 0, align: "c", width: g.w - 6 }) : row;
      });
    }
    return rows;
  }

  // ---------------------------------------------------------------- the network
  // what vis-network is given for an entity or a relation in the present state (date, filters,
  // language, highlight, share labels), and a key that changes whenever any of that does.
  // allShown: everything of every date shown, so that a force layout places them all (nothing
  // moves when the slider shows another date); the state is applied once the layout is done
  // (each look is a few fields; vis-network is given only the fields that changed)
  function nodeLook(n, allShown) {
    var hidden = !allShown && !nodeShown(n.id);
    if (G) return { id: n.id, hidden: hidden };
    return { id: n.id, hidden: hidden, label: nodeText(n), opacity: nodeAlpha(n.id) };
  }
  function edgeStyle(e) { return data.edgeStyles[e.category || ""]; }  // colour, dashes, width: by category
  function edgeLook(e, allShown) {
    var near = !state.highlight || e.from === state.highlight || e.to === state.highlight;
    var label = state.shares && e.shareLabel ? (state.lang === "zh" && e.zhLabel ? e.zhLabel : e.shareLabel) : " ";
    return { id: e.id, hidden: !allShown && !edgeActive(e), label: label, near: near };
  }
  // what vis-network is given for a changed edge field (its colour carries the dimming)
  function edgeField(e, field, value) {
    return field === "near" ? ["color", { color: edgeStyle(e).color, opacity: value ? 1 : 0.08 }] : [field, value];
  }
  var pushed = { nodes: {}, edges: {} };  // id -> the look last given to vis-network
  // the figure's entities and relations as vis-network items; a force layout not yet run places
  // everything of every date (allShown), a laid-out one gets its positions back
  function dataSets(fig) {
    pushed = { nodes: {}, edges: {} };
    var allShown = !G && !fig.positions;
    var items = new vis.DataSet(data.nodes.map(function (n) {
      var look = nodeLook(n, allShown), item = Object.assign({ label: n.label, group: n.group }, look);
      pushed.nodes[n.id] = look;
      if (n.x !== undefined) { item.x = n.x; item.y = n.y; item.shape = "custom"; }
      else if (fig.positions && fig.positions[n.id]) { item.x = fig.positions[n.id].x; item.y = fig.positions[n.id].y; }
      if (n.level !== undefined) item.level = n.level;
      return item;
    }));
    // with the Graphviz picture the lines are drawn from it; vis-network keeps only the nodes
    var lines = new vis.DataSet(G ? [] : data.edges.map(function (e) {
      var look = edgeLook(e, allShown), style = edgeStyle(e), near = edgeField(e, "near", look.near);
      var item = { id: e.id, from: e.from, to: e.to, dashes: style.dashes, width: style.width, hidden: look.hidden,
                   label: look.label };
      item[near[0]] = near[1];
      if (e.arrows) item.arrows = e.arrows;
      pushed.edges[e.id] = look;
      return item;
    }));
    return { nodes: items, edges: lines };
  }
  // vis-network's options for a figure: a Graphviz picture's nodes are all drawn by renderNode
  // (a group's shape would win over the node's); a force layout already run is not run again
  function figureOptions(fig) {
    var options = JSON.parse(JSON.stringify(fig.data.options));
    if (fig.data.graphviz) {
      options.nodes.ctxRenderer = renderNode;
      Object.keys(options.groups).forEach(function (type) { options.groups[type].shape = "custom"; });
    }
    options.interaction.dragNodes = !fig.data.graphviz;
    if (fig.positions) options.physics = { enabled: false };
    return options;
  }
  // a figure's network: made anew for each figure (its own options and layout), with every handler
  // the page registers (on) given again
  var network = null, nodes, edges, handlers = [];
  var api = window.ecosystem = { state: state };
  function on(event, handler) { handlers.push([event, handler]); network.on(event, handler); }
  function useFigure(number) {
    if (state.figure === number) return false;
    var fig = figures[number];
    state.figure = number;
    data = fig.data; G = data.graphviz; T = data.time;
    byId = {}; edgeById = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    data.edges.forEach(function (e) { edgeById[e.id] = e; });
    sampled = sampleLines();
    searchIndex = makeSearchIndex();
    state.highlight = null; state.near = {}; state.focus = null;
    state.dateIndex = T ? T.start : null;
    state.date = T ? T.dates[T.start] : (data.asOf || null);
    sharesBox.disabled = !data.edges.some(function (e) { return e.shareLabel; });
    buildLegend();
    timeline.hidden = !T;
    if (T) { slider.max = String(T.dates.length - 1); slider.value = String(T.start); dateLabel.textContent = state.date; }
    document.getElementById("title").textContent = data.title;
    var sets = dataSets(fig);
    nodes = sets.nodes; edges = sets.edges;
    if (network) network.destroy();
    var options = figureOptions(fig);
    network = new vis.Network(container, sets, options);
    handlers.forEach(function (h) { network.on(h[0], h[1]); });
    api.network = network; api.nodes = nodes; api.edges = edges; api.data = data;
    awaitLayout(fig, options.physics);
    return true;
  }
  useFigure(S ? S.steps[0].figure : 0);

  // neighbours by the relations shown (not vis-network's edges, which a Graphviz page does not have)
  function neighbours(id) {
    var found = {};
    data.edges.forEach(function (e) {
      if (!edgeActive(e)) return;
      if (e.from === id) found[e.to] = true;
      if (e.to === id) found[e.from] = true;
    });
    return Object.keys(found).sort();
  }

  // ---------------------------------------------------------------- Graphviz lines, clusters, labels
  // line id -> polyline (canvas units), for pointing at a line
  function sampleLines() {
    var found = {};
    (G ? G.lines : []).forEach(function (line) {
      var pts = [];
      line.draw.forEach(function (op) {
        if (op[0] !== "b" && op[0] !== "B") return;
        for (var i = 0; i + 7 < op.length; i += 6) {
          for (var t = 0; t <= 1; t += 0.125) {
            var u = 1 - t;
            pts.push([u * u * u * op[i] + 3 * u * u * t * op[i + 2] + 3 * u * t * t * op[i + 4] + t * t * t * op[i + 6],
                      u * u * u * op[i + 1] + 3 * u * u * t * op[i + 3] + 3 * u * t * t * op[i + 5] + t * t * t * op[i + 7]]);
          }
        }
      });
      found[line.id] = pts;
    });
    return found;
  }
  function lineRows(line) {
    if (!line.label || !state.shares) return [];
    var rows = state.lang === "zh" && line.label.zh ? zhRows(line) : line.label.rows;
    return rows.filter(function (row) { return row[5] === null || edgeActive(edgeById[row[5]]); });
  }
  // a line's label in Chinese: its rows centred where Graphviz put the English rows, as far apart
  function zhRows(line) {
    if (line.zhRows) return line.zhRows;
    var en = line.label.rows, size = line.label.size, x0 = Infinity, x1 = -Infinity;
    en.forEach(function (row) { var left = leftOf(row[0], row[2], row[3]); x0 = Math.min(x0, left); x1 = Math.max(x1, left + row[3]); });
    var first = en[0][1], last = en[en.length - 1][1];
    var step = en.length > 1 ? (last - first) / (en.length - 1) : Math.round(size * 1.2);
    var rows = line.label.zh, middle = (first + last) / 2;
    line.zhRows = rows.map(function (row, i) {
      return [(x0 + x1) / 2, middle + (i - (rows.length - 1) / 2) * step, "c", measure(row[0], size), row[0], row[1]];
    });
    return line.zhRows;
  }
  // the title of a box as drawn: Graphviz's text, or in Chinese the box's own title in its place
  function clusterTexts(c) {
    var out = [], size = 14, color = "#000";
    c.draw.forEach(function (op) {
      if (op[0] === "F") size = op[1];
      else if (op[0] === "c") color = op[1];
      else if (op[0] === "T") out.push({ x: op[1], y: op[2], align: op[3], width: op[4], text: op[5], size: size, color: color });
    });
    if (state.lang === "zh" && c.zh && out.length) {
      out = [Object.assign({}, out[0], { text: c.zh, width: measure(c.zh, out[0].size) })];
    }
    return out;
  }
  // a box (a jurisdiction, offshore / onshore) is drawn when it holds an entity the date shows
  function clusterShown(c) {
    return data.nodes.some(function (n) {
      var g = G.nodes[n.id];
      return g && g.x >= c.x && g.x <= c.x + c.w && g.y >= c.y && g.y <= c.y + c.h && nodeShown(n.id);
    });
  }
  on("beforeDrawing", function (ctx) {
    if (!G) return;
    G.clusters.forEach(function (c) {
      if (!clusterShown(c)) return;
      ctx.save();
      ctx.globalAlpha = state.highlight ? 0.5 : 1;
      run(ctx, c.draw, 0, 0, false);
      clusterTexts(c).forEach(function (t) {
        ctx.font = t.size + "px " + FONT;
        ctx.fillStyle = t.color;
        ctx.textAlign = ALIGN[t.align];
        ctx.textBaseline = "alphabetic";
        ctx.fillText(t.text, t.x, t.y, t.width + 1);
      });
      ctx.restore();
    });
    G.lines.forEach(function (line) {
      if (!lineShown(line)) return;
      ctx.save();
      ctx.globalAlpha = lineAlpha(line);
      run(ctx, line.draw, 0, 0, false);
      ctx.restore();
    });
  });
  on("afterDrawing", function (ctx) {
    if (!G) return;
    G.lines.forEach(function (line) {
      if (!lineShown(line)) return;
      var rows = lineRows(line);
      if (!rows.length) return;
      ctx.save();
      ctx.globalAlpha = lineAlpha(line);
      ctx.font = line.label.size + "px " + FONT;
      ctx.textBaseline = "alphabetic";
      ctx.lineJoin = "round";
      rows.forEach(function (row) {
        ctx.textAlign = ALIGN[row[2]];
        ctx.lineWidth = 4; ctx.strokeStyle = "#ffffff";
        ctx.strokeText(row[4], row[0], row[1], row[3] + 1);
        ctx.fillStyle = line.label.color;
        ctx.fillText(row[4], row[0], row[1], row[3] + 1);
      });
      ctx.restore();
    });
  });

  // ---------------------------------------------------------------- label boxes on screen
  function measure(text, size) {
    var ctx = measure.ctx || (measure.ctx = document.createElement("canvas").getContext("2d"));
    ctx.font = size + "px " + FONT;
    return ctx.measureText(text).width;
  }
  // every text drawn, in canvas units: {id, text, x (left), y (top), width, height}
  function canvasLabels() {
    var out = [];
    if (G) {
      data.nodes.forEach(function (n) {
        if (!nodeShown(n.id)) return;
        var g = G.nodes[n.id];
        nodeLabelRows(n).forEach(function (row) {
          var w = Math.min(measure(row.text, row.size), row.width + 1);
          out.push({ id: n.id, text: row.text, x: g.x + leftOf(row.x, row.align, w), y: g.y + row.y - 0.8 * row.size, width: w,
                     height: row.size });
        });
      });
      G.lines.forEach(function (line) {
        if (!lineShown(line)) return;
        lineRows(line).forEach(function (row) {
          var w = Math.min(measure(row[4], line.label.size), row[3] + 1);
          out.push({ id: line.id, text: row[4], x: leftOf(row[0], row[2], w), y: row[1] - 0.8 * line.label.size, width: w,
                     height: line.label.size });
        });
      });
      G.clusters.forEach(function (c, index) {
        if (!clusterShown(c)) return;
        clusterTexts(c).forEach(function (t) {
          var w = Math.min(measure(t.text, t.size), t.width + 1);
          out.push({ id: "cluster:" + index, text: t.text, x: leftOf(t.x, t.align, w), y: t.y - 0.8 * t.size, width: w, height: t.size });
        });
      });
    } else {
      var size = (data.options.nodes.font || {}).size || 14;
      data.nodes.forEach(function (n) {
        if (!nodeShown(n.id)) return;
        var p = network.getPosition(n.id), b = network.getBoundingBox(n.id);
        String(nodeText(n)).split("\n").forEach(function (text, i, all) {
          var w = measure(text, size);
          var inside = ["box", "ellipse", "circle", "database", "text"].indexOf((data.options.groups[n.group] || {}).shape) >= 0;
          var top = inside ? p.y - all.length * size * 0.6 : b.bottom + 2;
          out.push({ id: n.id, text: text, x: p.x - w / 2, y: top + i * size * 1.2, width: w, height: size });
        });
      });
    }
    return out;
  }
  function labels() {
    var box = container.getBoundingClientRect(), scale = network.getScale();
    return canvasLabels().map(function (l) {
      var p = network.canvasToDOM({ x: l.x, y: l.y });
      return { id: l.id, text: l.text, x: p.x + box.left, y: p.y + box.top, width: l.width * scale, height: l.height * scale };
    }).filter(function (l) {
      return l.x + l.width > box.left && l.x < box.right && l.y + l.height > box.top && l.y < box.bottom;
    });
  }

  // ---------------------------------------------------------------- fitting, readable
  // fit everything into the part of the canvas the legend leaves free (it sits bottom right:
  // the drawing goes to its left, or above it when that leaves more room); where the labels would
  // then be smaller than readable (median 12 px, none under 9), open at a readable zoom centred on
  // the entities in focus: a story step's, else the main entity
  // the box of the entities in focus (canvas units), and of the first of them
  function focusBox() {
    var ids = (state.focus || []).filter(function (id) { return byId[id] && nodeShown(id); });
    var story = ids.length > 0;
    if (!ids.length && data.main && byId[data.main]) ids = [data.main];
    if (!ids.length) return null;
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, story: story };
    ids.forEach(function (id, i) {
      var g = G && G.nodes[id];  // (vis-network's bounding box of a custom-drawn node is not its shape's)
      var b = g ? { left: g.x - g.w / 2, top: g.y - g.h / 2, right: g.x + g.w / 2, bottom: g.y + g.h / 2 }
        : network.getBoundingBox(id);
      if (i === 0) box.first = b;
      box.x0 = Math.min(box.x0, b.left); box.y0 = Math.min(box.y0, b.top);
      box.x1 = Math.max(box.x1, b.right); box.y1 = Math.max(box.y1, b.bottom);
    });
    return box;
  }
  function fitAll() {
    var box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    function grow(x0, y0, x1, y1) {
      box.x0 = Math.min(box.x0, x0); box.y0 = Math.min(box.y0, y0);
      box.x1 = Math.max(box.x1, x1); box.y1 = Math.max(box.y1, y1);
    }
    if (G) grow(0, 0, G.width, G.height);
    else nodes.getIds().forEach(function (id) { var b = network.getBoundingBox(id); grow(b.left, b.top, b.right, b.bottom); });
    if (!isFinite(box.x0)) { network.fit({ animation: false }); return; }
    var W = container.clientWidth, H = container.clientHeight, pad = 12;
    var legendBox = document.getElementById("legend");
    var shownLegend = legendBox && legendBox.offsetParent !== null;
    var lw = shownLegend ? legendBox.offsetWidth + 20 : 0, lh = shownLegend ? legendBox.offsetHeight + 20 : 0;
    var w = box.x1 - box.x0 + 2 * pad, h = box.y1 - box.y0 + 2 * pad;
    var left = Math.min((W - lw) / w, H / h), above = Math.min(W / w, (H - lh) / h);
    var free = left >= above ? { w: W - lw, h: H } : { w: W, h: H - lh };
    var scale = Math.min(free.w / w, free.h / h, 1.5), fits = scale;  // the whole figure on screen
    var sizes = canvasLabels().map(function (l) { return l.height; }).sort(function (a, b) { return a - b; });
    var readable = 0;
    if (sizes.length) {
      var median = sizes[Math.floor((sizes.length - 1) / 2)];
      readable = Math.max(12 / median, 9 / sizes[0]);
    }
    var cx, cy, zoomed = false;
    var focus = scale < readable ? focusBox() : null;
    if (focus) {
      scale = readable;
      // the free area (left of the legend, or above it) where more of the focus fits
      var fw = (focus.x1 - focus.x0 + 2 * pad) * scale, fh = (focus.y1 - focus.y0 + 2 * pad) * scale;
      free = Math.min((W - lw) / fw, H / fh) >= Math.min(W / fw, (H - lh) / fh) ? { w: W - lw, h: H } : { w: W, h: H - lh };
      var p = { x: (focus.x0 + focus.x1) / 2, y: (focus.y0 + focus.y1) / 2 };
      // centred on the focus, but no further out than the drawing's edge where it is larger than the screen
      var clamp = function (centre, low, high, half) {
        return high - low <= 2 * half ? (low + high) / 2 : Math.max(low + half, Math.min(high - half, centre));
      };
      // where the focus is larger than the screen, its first entity stays on it
      var keep = function (centre, low, high, half) {  // low..high (the first entity) within centre ± half
        return high - low >= 2 * half ? (low + high) / 2 : Math.max(high - half, Math.min(low + half, centre));
      };
      p.x = keep(p.x, focus.first.left - pad, focus.first.right + pad, free.w / 2 / scale);
      p.y = keep(p.y, focus.first.top - pad, focus.first.bottom + pad, free.h / 2 / scale);
      // a view opens centred on its main entity; a story step's entities are brought on screen
      // without showing beyond the drawing's edge
      var step = focus.story;
      var fx = step ? clamp(p.x, box.x0 - pad, box.x1 + pad, free.w / 2 / scale) : p.x;
      var fy = step ? clamp(p.y, box.y0 - pad, box.y1 + pad, free.h / 2 / scale) : p.y;
      cx = fx + (W - free.w) / 2 / scale; cy = fy + (H - free.h) / 2 / scale;
      zoomed = true;
    } else {
      // the canvas centre that puts the drawing's centre at the centre of the free area
      cx = (box.x0 + box.x1) / 2 + (W - free.w) / 2 / scale; cy = (box.y0 + box.y1) / 2 + (H - free.h) / 2 / scale;
    }
    network.moveTo({ position: { x: cx, y: cy }, scale: scale, animation: false });
    // (free: the part of the figure's area the legend leaves, in CSS px from its top left)
    api.fitted = { scale: scale, fits: fits, free: { x: 0, y: 0, w: free.w, h: free.h }, zoomed: zoomed, readable: readable };
  }

  // ---------------------------------------------------------------- layout done
  // the first figure's layout done is the page's; a story's figure laid out later by physics
  // (a force view met at a later step) sets data-layout back to pending until it is placed
  function layoutDone(fig) {
    if (fig !== figures[state.figure]) return;  // the reader has moved on to another figure
    if (!fig.data.graphviz && !fig.positions) {
      network.setOptions({ physics: false });
      fig.positions = network.getPositions();  // placed once: a later visit to this figure keeps them
    }
    refresh();  // what the date shown does not draw was laid out too: hidden now
    fitAll();
    document.body.setAttribute("data-layout", "done");
    if (window.ecosystemLayoutDone) return;
    window.ecosystemLayoutDone = true;
    window.ecosystemLayoutMs = performance.now();
    document.dispatchEvent(new Event("layoutdone"));
  }
  function awaitLayout(fig, physics) {
    document.body.setAttribute("data-layout", "pending");
    if (physics && physics.enabled !== false) {
      network.once("stabilizationIterationsDone", function () { layoutDone(fig); });
    } else {
      network.once("afterDrawing", function () { setTimeout(function () { layoutDone(fig); }, 0); });
    }
  }

  // ---------------------------------------------------------------- tooltips: plain text only
  function showTip(text, pointer) {
    if (!text) return;
    tip.textContent = text;
    tip.hidden = false;
    var x = pointer.x + 16, y = pointer.y + 16;
    var maxX = container.clientWidth - tip.offsetWidth - 4, maxY = container.clientHeight - tip.offsetHeight - 4;
    tip.style.left = Math.max(0, Math.min(x, maxX)) + "px";
    tip.style.top = Math.max(0, Math.min(y, maxY)) + "px";
  }
  function hideTip() { tip.hidden = true; }
  var overNode = false;
  on("hoverNode", function (p) {
    overNode = true;
    var v = verdictOf(p.node);
    showTip(byId[p.node].tip + (v ? "\ncontrol" + (state.date ? " on " + state.date : "") + ": " + v : ""), p.pointer.DOM);
  });
  on("hoverEdge", function (p) { showTip(edgeById[p.edge].tip, p.pointer.DOM); });
  on("blurNode", function () { overNode = false; hideTip(); });
  on("blurEdge", hideTip);
  on("dragStart", hideTip);
  on("zoom", hideTip);
  // a Graphviz line: pointing at its label or near its curve shows the tooltips of its relations
  function lineAt(dom) {
    var c = network.DOMtoCanvas(dom), reach = 6 / network.getScale(), best = null, bestDistance = Infinity;
    G.lines.forEach(function (line) {
      if (!lineShown(line)) return;
      lineRows(line).forEach(function (row) {
        var size = line.label.size;
        var left = leftOf(row[0], row[2], row[3]);
        if (c.x >= left && c.x <= left + row[3] && c.y <= row[1] + 0.2 * size && c.y >= row[1] - 0.8 * size) {
          best = line; bestDistance = 0;
        }
      });
      var pts = sampled[line.id];
      for (var i = 0; i + 1 < pts.length; i++) {
        var d = segmentDistance(c, pts[i], pts[i + 1]);
        if (d < reach && d < bestDistance) { best = line; bestDistance = d; }
      }
    });
    return best;
  }
  function segmentDistance(p, a, b) {
    var dx = b[0] - a[0], dy = b[1] - a[1], len = dx * dx + dy * dy;
    var t = len ? Math.max(0, Math.min(1, ((p.x - a[0]) * dx + (p.y - a[1]) * dy) / len)) : 0;
    var x = a[0] + t * dx - p.x, y = a[1] + t * dy - p.y;
    return Math.sqrt(x * x + y * y);
  }
  if (G) {
    container.addEventListener("mousemove", function (event) {
      if (overNode) return;
      var rect = container.getBoundingClientRect();
      var dom = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      var line = lineAt(dom);
      if (line) {
        showTip(line.edges.filter(function (key) { return edgeActive(edgeById[key]); })
          .map(function (key) { return edgeById[key].tip; }).join("\n\n"), dom);
      } else hideTip();
    });
  }

  // ---------------------------------------------------------------- redraw after a change of state
  // Only the items whose look changed go to vis-network: a step of the date slider changes a few
  // of 1,500 entities, and every item updated costs vis-network its options, label and indices.
  // A step of the slider to the next or previous date looks only at the entities and relations
  // that begin or end there (and the relations of those entities): deltas precomputed per date.
  function refresh(only) {
    var nodeChanges = [], edgeChanges = [];
    function collect(store, changes, look, field) {
      var last = store[look.id], item = null;
      Object.keys(look).forEach(function (key) {
        if (key === "id" || (last && last[key] === look[key])) return;
        item = item || { id: look.id };
        var given = field ? field(key, look[key]) : [key, look[key]];
        item[given[0]] = given[1];
      });
      store[look.id] = look;
      if (item) changes.push(item);
    }
    // a force layout still running places everything of every date (hidden once it is done)
    var placing = !G && !figures[state.figure].positions;
    function nodeOf(n) { collect(pushed.nodes, nodeChanges, nodeLook(n, placing)); }
    function edgeOf(e) {
      collect(pushed.edges, edgeChanges, edgeLook(e, placing), function (key, value) { return edgeField(e, key, value); });
    }
    if (only) {
      only.nodes.forEach(function (id) { nodeOf(byId[id]); });
      if (!G) only.edges.forEach(function (id) { edgeOf(edgeById[id]); });
    } else {
      data.nodes.forEach(nodeOf);
      if (!G) data.edges.forEach(edgeOf);
    }
    // with physics off, vis-network redraws the whole figure at once after each DataSet update
    // (and schedules one more), and goes over every item after each (_dataChanged): both held
    // back here (its own _blockRedraw/_allowRedraw events, in the copy of vis-network the page
    // inlines), so that a change of state costs one pass and one drawing
    var emitter = network.body.emitter, emit = emitter.emit, own = Object.prototype.hasOwnProperty.call(emitter, "emit");
    var held = {};
    emitter.emit("_blockRedraw");
    emitter.emit = function (name) {
      if (name === "_dataChanged" || name === "_dataUpdated") { held[name] = true; return emitter; }
      return emit.apply(emitter, arguments);
    };
    try {
      if (nodeChanges.length) nodes.update(nodeChanges);
      if (edgeChanges.length) edges.update(edgeChanges);
    } finally {
      if (own) emitter.emit = emit; else delete emitter.emit;
      if (held._dataChanged) emitter.emit("_dataChanged"); else if (held._dataUpdated) emitter.emit("_dataUpdated");
      emitter.emit("_allowRedraw");
    }
    network.redraw();
  }
  // for each date (index k), the entities and relations drawn at k but not at k - 1 or the other
  // way round, and the relations of those entities: made once per figure
  function dateDeltas() {
    if (data.deltas) return data.deltas;
    var deltas = T.dates.map(function () { return { nodes: [], edges: [] }; }), touching = {};
    data.edges.forEach(function (e) {
      (touching[e.from] = touching[e.from] || []).push(e.id);
      (touching[e.to] = touching[e.to] || []).push(e.id);
    });
    function mark(runs, add) {
      (runs || []).forEach(function (run) {
        if (run[0] > 0) add(deltas[run[0]]);
        if (run[1] + 1 < deltas.length) add(deltas[run[1] + 1]);
      });
    }
    data.nodes.forEach(function (n) {
      mark(n.days, function (delta) { delta.nodes.push(n.id); delta.edges.push.apply(delta.edges, touching[n.id] || []); });
    });
    data.edges.forEach(function (e) { mark(e.days, function (delta) { delta.edges.push(e.id); }); });
    data.deltas = deltas;
    return deltas;
  }
  // what may look different at date index to than at date index from (null: look at everything)
  function changedBetween(from, to) {
    if (from === null || Math.abs(to - from) > 3) return null;
    var deltas = dateDeltas(), nodesSeen = {}, edgesSeen = {}, found = { nodes: [], edges: [] };
    for (var k = Math.min(from, to) + 1; k <= Math.max(from, to); k++) {
      deltas[k].nodes.forEach(function (id) { if (!nodesSeen[id]) { nodesSeen[id] = true; found.nodes.push(id); } });
      deltas[k].edges.forEach(function (id) { if (!edgesSeen[id]) { edgesSeen[id] = true; found.edges.push(id); } });
    }
    return found;
  }

  sharesBox.addEventListener("change", function () { state.shares = sharesBox.checked; refresh(); });

  // ---------------------------------------------------------------- search
  // folds case, accents and punctuation like the command line; names include aliases, Chinese
  // names and their pinyin; roles (VIE, WFOE) match too; one or two typos are forgiven
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\s'\u2019`"\-_.,:;()\/&!?·]+/g, " ").trim();
  }
  // edit distance (insertions, deletions, substitutions, swaps of neighbours), stopping past limit
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) rows[0].push(j);
    for (i = 1; i <= a.length; i++) {
      var low = Infinity;
      for (j = 1; j <= b.length; j++) {
        var value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
        rows[i].push(value);
        low = Math.min(low, value);
      }
      if (low > limit) return limit + 1;
    }
    return rows[a.length][b.length];
  }
  // the names (and roles) of the figure's entities, folded once
  function makeSearchIndex() {
    return Object.keys(data.names).sort().map(function (id) {
      var names = data.names[id].slice(), kinds = names.map(function () { return "name"; });
      (byId[id] && byId[id].roles || []).forEach(function (role) { names.push(role); kinds.push("role"); });
      return { id: id, names: names, kinds: kinds, keys: names.map(fold) };
    });
  }
  function find(query) {
    var q = fold(query), compact = q.replace(/ /g, "");
    if (!compact) return [];
    var allowed = compact.length >= 8 ? 2 : compact.length >= 4 ? 1 : 0;
    var hits = [];
    searchIndex.forEach(function (entry) {
      var best = null;
      entry.keys.forEach(function (key, i) {
        var squeezed = key.replace(/ /g, ""), score = null;
        if (key === q || squeezed === compact) score = 0;
        else if (squeezed.indexOf(compact) === 0) score = 1;
        else if ((" " + key).indexOf(" " + q) >= 0) score = 2;
        else if (squeezed.indexOf(compact) >= 0) score = 3;
        else if (allowed) {
          var d = distance(compact, squeezed, allowed);
          key.split(" ").concat(prefixes(squeezed, compact.length)).forEach(function (word) {
            if (word.length >= 3) d = Math.min(d, distance(compact, word, allowed));
          });
          if (d <= allowed) score = 4 + d;
        }
        if (entry.kinds[i] === "role" && score !== null) score += 0.5;
        if (score !== null && (best === null || score < best.score)) best = { score: score, matched: entry.names[i] };
      });
      if (best) hits.push({ id: entry.id, score: best.score, matched: best.matched, name: entry.names[0] });
    });
    hits.sort(function (a, b) { return a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    return hits;
  }
  function prefixes(text, length) {  // the start of a long name, as long as the query: "taobo" ~ "taobao..."
    return text.length > length ? [text.slice(0, length), text.slice(0, length + 1)] : [];
  }
  var results = document.getElementById("results");
  var search = document.getElementById("search");
  function showResults(hits) {
    results.replaceChildren();
    hits.slice(0, 10).forEach(function (hit) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.textContent = hit.name + (hit.matched !== hit.name ? "  (" + hit.matched + ")" : "");
      button.addEventListener("click", function () { highlight(hit.id); });
      li.appendChild(button);
      results.appendChild(li);
    });
    results.style.left = search.getBoundingClientRect().left + "px";
    results.style.top = (search.getBoundingClientRect().bottom) + "px";
  }
  function highlight(id) {
    var keep = {};
    keep[id] = true;
    neighbours(id).forEach(function (n) { keep[n] = true; });
    state.highlight = id;
    state.near = keep;
    refresh();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
    results.replaceChildren();
    status.textContent = nodeText(byId[id]).replace(/\n/g, " ") + ": " + (Object.keys(keep).length - 1) + " connected";
    api.highlighted = id;
    showVerdict();
  }
  function clear() {
    state.highlight = null;
    state.near = {};
    refresh();
    network.unselectAll();
    results.replaceChildren();
    status.textContent = "";
    search.value = "";
    api.highlighted = null;
    fitAll();
    showVerdict();
  }
  search.addEventListener("input", function () { showResults(find(search.value)); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = find(search.value);
      if (hits.length) highlight(hits[0].id); else status.textContent = "no entity matches";
    } else if (event.key === "Escape") { clear(); }
  });
  document.getElementById("clear").addEventListener("click", clear);
  on("click", function (p) { if (p.nodes.length) highlight(p.nodes[0]); });
  document.getElementById("description").addEventListener("click", function () {
    this.classList.toggle("open");
    network.setSize("100%", "100%");
  });

  // ---------------------------------------------------------------- legend: click to hide or show
  var legendButtons;  // "type:id" or "category:id" -> its button (buildLegend)
  function heading(text) { var h = document.createElement("h2"); h.textContent = text; legend.appendChild(h); }
  function legendEntry(list, kind, item, mark) {
    var li = document.createElement("li"), button = document.createElement("button"), label = document.createElement("span");
    button.type = "button";
    button.setAttribute("aria-pressed", "true");
    button.dataset.kind = kind;
    button.dataset.id = item.id;
    button.title = say("toggle");
    label.textContent = state.lang === "zh" && item.zh ? item.zh : item.label;
    button.appendChild(mark); button.appendChild(label);
    button.addEventListener("click", function () {
      setVisible(kind, item.id, button.getAttribute("aria-pressed") !== "true");
    });
    li.appendChild(button); list.appendChild(li);
    legendButtons[kind + ":" + item.id] = button;
  }
  // the legend of the figure drawn: its types and categories, each pressed unless hidden
  function buildLegend() {
    legend.replaceChildren();
    legendButtons = {};
    heading(say("entities"));
    var list = document.createElement("ul");
    data.legend.types.forEach(function (t) {
      var swatch = document.createElement("span");
      swatch.className = "swatch " + (shapeClass[t.shape] || "box");
      swatch.style.background = t.color;
      legendEntry(list, "type", t, swatch);
    });
    legend.appendChild(list);
    if (data.legend.categories.length) {
      heading(say("relations"));
      list = document.createElement("ul");
      data.legend.categories.forEach(function (c) {
        var line = document.createElement("span");
        line.className = "line";
        line.style.borderTop = Math.max(1, c.width) + "px " + c.line + " " + c.color;
        legendEntry(list, "category", c, line);
      });
      legend.appendChild(list);
    }
    (state.lang === "zh" ? [] : data.legend.notes || []).forEach(function (note) {  // (in Chinese the lines say it all)
      var p = document.createElement("p"); p.textContent = note; legend.appendChild(p);
    });
    Object.keys(legendButtons).forEach(function (key) {
      var kind = key.slice(0, key.indexOf(":")), id = key.slice(key.indexOf(":") + 1);
      var hidden = (kind === "type" ? state.hiddenTypes : state.hiddenCategories)[id];
      legendButtons[key].setAttribute("aria-pressed", hidden ? "false" : "true");
    });
  }
  function setVisible(kind, id, visible) {
    var target = kind === "type" ? state.hiddenTypes : state.hiddenCategories;
    if (visible) delete target[id]; else target[id] = true;
    var button = legendButtons[kind + ":" + id];
    if (button) button.setAttribute("aria-pressed", visible ? "true" : "false");
    refresh();
  }
  // a category or an entity type, by id or by its legend label
  function setCategoryVisible(name, visible) {
    var key = String(name).toLowerCase(), found = false;
    data.legend.categories.forEach(function (c) {
      if (c.id === name || c.label.toLowerCase() === key) { setVisible("category", c.id, !!visible); found = true; }
    });
    data.legend.types.forEach(function (t) {
      if (t.id === name || t.label.toLowerCase() === key) { setVisible("type", t.id, !!visible); found = true; }
    });
    return found;
  }

  // ---------------------------------------------------------------- language
  function setLanguage(lang) {
    state.lang = lang === "zh" ? "zh" : "en";
    document.documentElement.lang = state.lang === "zh" ? "zh-Hans" : "en";
    langButton.textContent = state.lang === "zh" ? "EN" : "中文";
    document.getElementById("clear").textContent = say("clear");
    document.getElementById("present").textContent = say("present");
    sharesBox.nextSibling.textContent = " " + say("shares");
    document.getElementById("search").placeholder = say("find");
    if (S) storyWords();
    buildLegend();
    refresh();
    showVerdict();
  }
  langButton.addEventListener("click", function () { setLanguage(state.lang === "zh" ? "en" : "zh"); });
  if (data.language === "zh") setLanguage("zh");

  // ---------------------------------------------------------------- presentation mode (key P)
  function present(on) {
    var want = on === undefined ? !document.body.classList.contains("present") : !!on;
    document.body.classList.toggle("present", want);
    if (want && document.documentElement.requestFullscreen && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(function () {});
    } else if (!want && document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    }
    setTimeout(function () { network.setSize("100%", "100%"); fitAll(); network.redraw(); }, 0);
    return want;
  }
  document.getElementById("present").addEventListener("click", function () { present(); });
  document.addEventListener("keydown", function (event) {
    var typing = event.target && (event.target.tagName === "INPUT" || event.target.tagName === "TEXTAREA");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "p" || event.key === "P") { present(); event.preventDefault(); }
    else if (event.key === "Escape" && document.body.classList.contains("present")) present(false);
  });

  // a new window size (a projector, full screen) fits the figure again, unless the reader has moved it
  var moved = false, resizing = null;
  on("dragEnd", function () { moved = true; });
  on("zoom", function () { moved = true; });
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { network.setSize("100%", "100%"); if (!moved) fitAll(); network.redraw(); }, 50);
  });

  // ---------------------------------------------------------------- the date slider (with play)
  function verdictOf(id) {
    var n = byId[id];
    if (!n) return null;
    if (!T) return n.verdict || null;
    var runs = n.verdicts || [];  // [[first date, last date, verdict], ...]
    for (var i = 0; i < runs.length; i++) if (runs[i][0] <= state.dateIndex && state.dateIndex <= runs[i][1]) return runs[i][2];
    return null;
  }
  function showVerdict() {
    var id = state.highlight || data.main;
    var v = id && nodeShown(id) ? verdictOf(id) : null;
    if (v && state.lang === "zh") v = (data.verdictsZh || {})[v] || v;
    verdictBox.textContent = v ? nodeText(byId[id]).replace(/\n/g, " ") + (state.lang === "zh" ? "：" : ": ") + v : "";
  }
  // a date (ISO, partial or full): the slider goes to the last change on or before it
  function setDate(iso) {
    if (!T) return state.date;
    var day = String(iso), index = 0;
    if (day.length === 4) day += "-01-01"; else if (day.length === 7) day += "-01";
    for (var i = 0; i < T.dates.length; i++) if (T.dates[i] <= day) index = i;
    var before = state.dateIndex;
    state.dateIndex = index;
    state.date = day < T.dates[0] ? T.dates[0] : day;
    slider.value = String(index);
    dateLabel.textContent = state.date;
    document.getElementById("title").textContent = data.titleBase + " (as of " + state.date + ")";
    var only = changedBetween(before, index);
    if (state.highlight && !nodeShown(state.highlight)) { state.highlight = null; state.near = {}; only = null; }
    refresh(only);
    showVerdict();
    var fragment = "#date=" + state.date;
    if (location.hash !== fragment) history.replaceState(null, "", fragment);
    return state.date;
  }
  var playing = null;
  function play(on) {
    var want = on === undefined ? playing === null : !!on;
    clearInterval(playing);
    playing = null;
    playButton.textContent = want ? "⏸" : "▶";
    if (!want || !T) return false;
    if (state.dateIndex >= T.dates.length - 1) setDate(T.dates[0]);
    playing = setInterval(function () {
      if (state.dateIndex >= T.dates.length - 1) { play(false); return; }
      setDate(T.dates[state.dateIndex + 1]);
    }, 900);
    return true;
  }
  slider.addEventListener("input", function () { if (T) setDate(T.dates[parseInt(slider.value, 10)]); });
  playButton.addEventListener("click", function () { if (T) play(); });
  var asked = /(?:^#|&)date=([0-9-]+)/.exec(location.hash);
  if (T && asked && !S) setDate(asked[1]);
  showVerdict();

  // ---------------------------------------------------------------- a story: steps over the figure
  var current = 0;
  // the story's own words in the page's language (a step's title and caption are the data's)
  function storyWords() {
    var step = S.steps[current || 0];
    document.getElementById("story-previous").textContent = say("previous");
    document.getElementById("story-next").textContent = say("next");
    document.getElementById("story-sources").textContent = say("sources") + step.sources.join(say("sourceSep"));
    document.getElementById("story-count").textContent = say("step")((current || 0) + 1, S.steps.length);
  }
  function goTo(index) {
    var steps = S.steps;
    current = Math.max(0, Math.min(steps.length - 1, index));
    var step = steps[current];
    if (useFigure(step.figure)) { play(false); moved = false; }  // the step's view, laid out once
    if (T) setDate(step.date || T.dates[T.start]);
    state.highlight = step.highlight.length ? step.highlight[0] : null;
    state.near = {};
    step.highlight.forEach(function (id) { state.near[id] = true; });
    refresh();
    showVerdict();
    document.getElementById("story-title").textContent = step.title;
    document.getElementById("story-caption").textContent = step.caption;
    storyWords();
    Array.prototype.forEach.call(document.getElementById("story-dots").children, function (dot, i) {
      if (i === current) dot.setAttribute("aria-current", "step"); else dot.removeAttribute("aria-current");
    });
    document.getElementById("story-previous").disabled = current === 0;
    document.getElementById("story-next").disabled = current === steps.length - 1;
    // the step's entities on screen: the whole figure where it fits readably, else centred on them
    state.focus = step.highlight;
    network.setSize("100%", "100%");
    fitAll();
    return current;
  }
  if (S) {
    document.body.classList.add("story");
    var dots = document.getElementById("story-dots");
    S.steps.forEach(function (step, i) {
      var dot = document.createElement("button");
      dot.type = "button";
      dot.title = step.title;
      dot.setAttribute("aria-label", "Step " + (i + 1) + ": " + step.title);
      dot.addEventListener("click", function () { goTo(i); });
      dots.appendChild(dot);
    });
    document.getElementById("story-previous").addEventListener("click", function () { goTo(current - 1); });
    document.getElementById("story-next").addEventListener("click", function () { goTo(current + 1); });
    document.addEventListener("keydown", function (event) {
      var typing = event.target && (event.target.tagName === "INPUT" && event.target.type !== "range");
      if (typing || event.target === slider) return;
      if (event.key === "ArrowRight") { goTo(current + 1); event.preventDefault(); }
      else if (event.key === "ArrowLeft") { goTo(current - 1); event.preventDefault(); }
    });
    network.setSize("100%", "100%");
    goTo(0);
  }

  // ---------------------------------------------------------------- the page API
  api.find = find;
  api.highlight = highlight;
  api.clear = clear;
  api.fit = fitAll;
  api.labels = labels;
  api.setLanguage = setLanguage;
  api.language = function () { return state.lang; };
  api.setCategoryVisible = setCategoryVisible;
  api.present = present;
  api.search = function (text) { return find(text).map(function (hit) { return hit.id; }); };
  api.visibleNodes = function () { return data.nodes.filter(function (n) { return nodeShown(n.id); }).map(function (n) { return n.id; }); };
  api.date = function () { return state.date; };
  api.view = function () { return data.view; };
  api.dates = function () { return T ? T.dates.slice() : []; };
  api.setDate = setDate;
  api.play = play;
  api.verdict = verdictOf;
  if (S) {
    api.story = {
      next: function () { return goTo(current + 1); },
      previous: function () { return goTo(current - 1); },
      step: function () { return current; },
      go: goTo,
      steps: function () { return S.steps.length; }
    };
  }
  api.refresh = refresh;
  api._internal = { nodeShown: nodeShown, edgeActive: edgeActive, canvasLabels: canvasLabels };
})();
