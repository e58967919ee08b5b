"""The control rules on Apache Spark: every entity's controllers at given dates, from the Parquet tables.

The same rules as the embedded engine (:mod:`ecosystem.control`, ``docs/CONTROL.md``), written as
DataFrame joins with no Python function per row, so that they run on a laptop (``local[*]``) and on
a cluster alike. Every date asked and both runs (low ends of shares: "controls"; high ends: "may
control") go through the same joins at once, keyed by ``run`` (date index * 2 + 0 for low, 1 for
high): the number of Spark jobs does not grow with the number of dates.

What is read: the relations in force at each date (the span ``export parquet`` wrote for each
relation, supersession applied: one definition, :func:`ecosystem.graph.relation_spans`) between
entities that exist then, with each type's roles from the vocabulary.

The order of evaluation is the embedded engine's. A target's controllers depend on what controls its
holders, so a target is evaluated once everything that can influence it (its holders, direct
controllers, contract parties, fellow concert parties) is settled:

1. forward: each round settles the targets whose influencers are all settled (one join against the
   settled set), computes their controllers, and extends the ancestor closure by one join: a settled
   node's ancestors are itself plus its controllers' ancestors, already settled. This is exact and
   incremental: the closure is never recomputed.
2. cycles: what never settles lies in or below a cycle of influence (cross-holdings, concert
   parties). The part that is not merely below a cycle (found by trimming nodes that influence
   nothing unsettled) is run to a fixed point in which control edges are only ever added, the low
   run first, then the high run seeded with the low run's result, as the embedded engine does.
3. forward again for what lies below the cycles.

Each round checks for progress with one small action over every date and run; the state is
checkpointed every few rounds to cut the lineage; small tables are broadcast.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from . import dates
from .control import ControlRules
from .control.rules import BUNDLE_ROLES, CLOSED, DIRECT_RULES, DISPERSED_PATTERN, EPSILON, OWNER_TYPES, ROUNDING_DIGITS
from .errors import EcosystemError

MAX_ROUNDS = 10_000
# settings for small data (tests, a laptop's dataset): each query's set-up, not its data, is the cost
SMALL_DATA = {"spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN",
              "spark.sql.adaptive.enabled": "false", "spark.sql.shuffle.partitions": "1",
              "spark.default.parallelism": "1", "spark.sql.files.maxPartitionBytes": "1g"}
SMALL_DATA_KEY = "spark.ecosystem.smallData"  # set with SMALL_DATA: fewer frames written within a round
# and for a JVM that lives a few minutes: the quick compiler only, the simplest collector
SMALL_DATA_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
CHECKPOINT_EVERY = 4
LOW, HIGH = 0, 1


class SparkUnavailable(EcosystemError):
    """pyspark or a Java runtime is missing, or Spark did not start; the message names the fix."""


def session(master: str = "local[*]", remote: str | None = None, partitions: int | None = None,
            small: bool = False, config: dict | None = None):
    """A Spark session: local mode on this machine (bound to 127.0.0.1), or a Spark Connect server.

    ``small``: settings for small data (tests, a laptop's dataset), where each query's set-up and
    not its data is the cost (:data:`SMALL_DATA`); ``config``: further Spark settings. Both apply
    to a session that starts here."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("the Spark engine needs pyspark: pip install 'ecosystem[spark]'") from None
    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    import shutil

    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailable("the Spark engine needs a Java runtime (17 or later): "
                               "apt-get install openjdk-17-jre-headless, or set JAVA_HOME")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(master).appName("ecosystem")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(partitions or 8))
               .config("spark.default.parallelism", str(partitions or 8))
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", os.environ.get("ECOSYSTEM_SPARK_DRIVER_MEMORY", "2g")))
    if small:
        for key, value in {**SMALL_DATA, SMALL_DATA_KEY: "true"}.items():
            builder = builder.config(key, value)
        builder = builder.config("spark.driver.extraJavaOptions", SMALL_DATA_JVM)
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    if master.startswith("local"):
        # small pages: many small broadcast tables at once must not each claim a large page
        builder = builder.config("spark.buffer.pageSize", "2m")
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    try:
        spark = builder.getOrCreate()
    except Exception as error:  # the JVM did not start: name what to check
        raise SparkUnavailable(f"Spark did not start ({str(error).splitlines()[0] if str(error) else type(error).__name__}); "
                               "check that Java 17 or later runs (java -version) and JAVA_HOME") from None
    spark.sparkContext.setLogLevel(os.environ.get("ECOSYSTEM_SPARK_LOG_LEVEL", "ERROR"))
    return spark


def read_tables(spark, folder):
    """(entities, relations) DataFrames of a folder written by ``ecosystem export parquet``."""
    folder = Path(folder)
    return (spark.read.parquet(str(folder / "entities.parquet")),
            spark.read.parquet(str(folder / "relations.parquet")))


def _ckpt(frame, light=False):
    """``frame`` computed once, written as Parquet and read back: a leaf for the plans built on it.

    ``light``: a frame used within one round only (its plan does not grow from round to round):
    with the settings for small data, where writing it costs more than computing it twice, it is
    returned as it is.

    Written out rather than checkpointed in memory: a checkpoint keeps the optimizer's size
    estimate of the plan it cut, and a join's estimate is the product of its inputs', so over many
    rounds the estimates grow past any number (their arithmetic alone then takes minutes). Files
    read back carry their real size. The folder is ``ECOSYSTEM_SPARK_SCRATCH``, else the Spark
    context's checkpoint folder (on a cluster: shared storage), else a temporary folder removed when
    the process ends.
    """
    spark = frame.sparkSession
    if light and spark.conf.get(SMALL_DATA_KEY, "false") == "true":
        return frame
    path = f"{_scratch(spark)}/{next(_COUNTER)}"
    frame.write.mode("overwrite").parquet(path)
    return spark.read.schema(frame.schema).parquet(path)  # the schema known: no footer is read for it


_COUNTER = itertools.count()
_SCRATCH = {}


def _scratch(spark) -> str:
    key = id(spark)
    if key not in _SCRATCH:
        folder = os.environ.get("ECOSYSTEM_SPARK_SCRATCH")
        if not folder:
            try:
                folder = spark.sparkContext.getCheckpointDir()
            except Exception:  # Spark Connect has no SparkContext: ECOSYSTEM_SPARK_SCRATCH names the folder
                folder = None
        if folder:
            folder = f"{folder.rstrip('/')}/ecosystem-{os.getpid()}-{key}"
        else:
            import atexit
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="ecosystem-spark-")
            atexit.register(shutil.rmtree, folder, True)
        _SCRATCH[key] = folder
    return _SCRATCH[key]


def _trace(*words):
    if os.environ.get("ECOSYSTEM_SPARK_TRACE"):
        import sys
        import time

        print(f"[spark {time.strftime('%H:%M:%S')}]", *words, file=sys.stderr, flush=True)


def analyse(spark, entities, relations, as_of_dates, rules: ControlRules | None = None) -> dict:
    """DataFrames ``direct``, ``ultimate`` and ``verdicts`` (keyed by ``as_of``) for every entity at each date."""
    from pyspark.sql import functions as F

    rules = rules or ControlRules()
    # the iterated plans union frames that share columns: constraint inference costs time and, in
    # some Spark versions, fails on them; the rules need none of it
    spark.conf.set("spark.sql.constraintPropagation.enabled", "false")
    asked = sorted({dates.normalise(d) for d in as_of_dates}, key=dates.sort_key)
    runs = spark.createDataFrame([(i, d, dates.first_day(d)) for i, d in enumerate(asked)],
                                 "d int, as_of string, day date")
    modes = spark.createDataFrame([(LOW,), (HIGH,)], "m int")

    exists = ((F.col("start_day").isNull() | (F.col("start_day") <= F.col("day")))
              & (F.col("end_day").isNull() | (F.col("end_day") > F.col("day"))))
    present = entities.crossJoin(F.broadcast(runs)).where(exists).select("d", "id", "type", "name")
    dispersed = present.where(
        (F.col("type") == "user_group")
        | F.lower(F.concat_ws(" ", F.regexp_replace("id", "_", " "), F.coalesce("name", F.lit(""))))
        .rlike(DISPERSED_PATTERN)).select("d", F.col("id").alias("holder"), F.lit(True).alias("dispersed"))

    _trace("start")
    in_force = _ckpt(_in_force(relations, runs, present))
    prepared = _prepare(in_force, dispersed, modes, rules)
    _trace("prepared")
    table, up = _solve(prepared, rules)
    _trace("solved")
    low = table.where(F.col("run") % 2 == LOW)
    high = table.where(F.col("run") % 2 == HIGH)
    certain = low.select("run", "target", "controller", F.lit("controls").alias("status"), "rule")
    possible = (high.withColumn("run", F.col("run") - 1)
                .join(low.select("run", "target", "controller"), ["run", "target", "controller"], "left_anti")
                .select("run", "target", "controller", F.lit("may control").alias("status"), "rule"))
    direct = certain.unionByName(possible).withColumn("d", (F.col("run") / 2).cast("int"))
    ultimate = _ultimate(up, prepared["groups"])
    verdicts = _verdicts(entities, runs, in_force, ultimate)
    owners, closed = _economic(in_force, modes, rules)
    _trace("economic interest")
    dated = F.broadcast(runs.select("d", "as_of"))
    return {"dates": runs.select("d", "as_of"),
            "direct": direct.join(dated, "d").drop("d", "run"),
            "ultimate": ultimate.join(dated, "d").drop("d"),
            "verdicts": verdicts,
            "final_owners": owners.join(dated, "d").drop("d"),
            "closed_cycle": closed.join(dated, "d").drop("d")}


# ------------------------------------------------------------------------------------------------
# preparation


def _in_force(relations, runs, present):
    """Relations in force at each date (``d``) between entities that exist then (indirect ones too)."""
    from pyspark.sql import functions as F

    ids = present.select("d", "id")
    start, end = F.col("in_force_start_day"), F.col("in_force_end_day")
    columns = ["from", "to", "type", "control_role", "bundle_role", "concert", "economic", "in_force_start_day",
               "in_force_end_day"] + [f"{p}_{s}" for p in ("equity", "votes") for s in ("low", "high", "approximate")]
    indirect = F.col("indirect") if "indirect" in relations.columns else F.lit(False)
    return (relations.where(F.col("from") != F.col("to")).select(*columns, indirect.alias("indirect"))
            .crossJoin(F.broadcast(runs.select("d", "day")))
            .where((start.isNull() | (start <= F.col("day"))) & (end.isNull() | (end > F.col("day"))))
            .join(ids.withColumnRenamed("id", "from"), ["d", "from"])
            .join(ids.withColumnRenamed("id", "to"), ["d", "to"])
            .drop("day"))


def _prepare(in_force, dispersed, modes, rules) -> dict:
    """What the rules read, as in :class:`ecosystem.control.holdings.Holdings`.

    ``holdings`` (run, target, holder, value, dispersed), ``totals`` (run, target, total), ``direct``
    (run, target, controller, rule), ``parts`` (run, target, part, holder), ``groups`` (d, member,
    group, members), ``influence`` (d, src, dst), ``nodes`` (d, node) and ``evaluate`` (d, node).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    margin = float(rules.approximate_margin)
    votes_known = F.col("votes_low").isNotNull()
    low = F.when(votes_known, F.col("votes_low")).otherwise(F.col("equity_low"))
    high = F.when(votes_known, F.col("votes_high")).otherwise(F.col("equity_high"))
    approximate = F.when(votes_known, F.col("votes_approximate")).otherwise(F.col("equity_approximate"))
    if margin:  # an approximate value v counts as the range v ± margin
        exact = approximate & (low == high)
        low, high = (F.when(exact, F.greatest(F.lit(0.0), low - margin)).otherwise(low),
                     F.when(exact, F.least(F.lit(100.0), high + margin)).otherwise(high))
    kinds = [k for k in DIRECT_RULES if k != "board" or rules.count_board]
    relations = in_force.where(~F.col("indirect") & ((F.col("control_role") != "board") | F.lit(rules.count_board)))
    shares = relations.select(
        "d", F.col("to").alias("target"), F.col("from").alias("holder"),
        F.col("control_role").alias("role"), "bundle_role", "concert",
        F.coalesce(low, F.lit(0.0)).alias("low"), F.coalesce(high, F.lit(100.0)).alias("high"),
        (votes_known | F.col("equity_low").isNotNull()).alias("has_share"))
    held = F.col("role").isin("equity", "votes")
    registered = (shares.where(held).select("d", "target", "holder", "low", "high", F.lit("owns").alias("kind"))
                  .unionByName(shares.where(F.col("role") == "influence").select(
                      "d", "target", "holder", F.lit(0.0).alias("low"), F.lit(100.0).alias("high"),
                      F.lit("influence").alias("kind"))))

    # a nominee's votes count for its principal(s); with several, whose block is whose is unknown
    nominees = shares.where(F.col("role") == "nominee").select(
        "d", F.col("holder").alias("nominee"), F.col("target").alias("principal")).distinct()
    nominees = nominees.join(nominees.groupBy("d", "nominee").agg(F.count("*").alias("principals")),
                             ["d", "nominee"])
    remapped = F.col("principal").isNotNull()
    registered = (registered.join(F.broadcast(nominees.withColumnRenamed("nominee", "holder")), ["d", "holder"], "left")
                  .select("d", "target", F.coalesce("principal", "holder").alias("holder"),
                          F.when(F.col("principals") > 1, F.lit(0.0)).otherwise(F.col("low")).alias("low"),
                          "high", F.when(remapped, F.lit("owns")).otherwise(F.col("kind")).alias("kind")))

    # contract parts (every bundle role, evidence too, as the embedded engine's parts and influence)
    not_held = ~F.col("role").isin("equity", "votes")
    all_parts = shares.where(F.col("bundle_role").isNotNull() & not_held).select(
        "d", "target", F.col("bundle_role").alias("part"), "holder")
    parts = all_parts.where(F.col("part").isin(*BUNDLE_ROLES)).distinct()
    complete = (parts.groupBy("d", "target").agg(F.countDistinct("part").alias("parts"))
                .select("d", "target", (F.col("parts") == len(BUNDLE_ROLES)).alias("complete")))
    proxies = shares.where((F.col("bundle_role") == "power") & not_held)
    with_share = proxies.where("has_share").select("d", "target", "holder", "low", "high",
                                                   F.lit("proxy").alias("kind"))
    bare = (proxies.where(~F.col("has_share")).select("d", "target", "holder")
            .join(complete, ["d", "target"], "left").fillna(False, ["complete"]))
    bare_targets = bare.groupBy("d", "target").agg(F.max(F.col("complete").cast("int")).alias("complete"))
    # a bare proxy covers the whole register: the registered owners' votes move to it
    owner = F.col("kind") == "owns"
    moved = (registered.join(bare_targets, ["d", "target"], "left")
             .select("d", "target", "holder",
                     F.when(owner & F.col("complete").isNotNull(), F.lit(0.0)).otherwise(F.col("low")).alias("low"),
                     F.when(owner & (F.col("complete") == 1), F.lit(0.0)).otherwise(F.col("high")).alias("high"),
                     "kind"))
    # outside a complete bundle, control by a bare proxy is possible, not certain
    bare_votes = bare.where(~F.col("complete")).select("d", "target", "holder", F.lit(0.0).alias("low"),
                                                       F.lit(100.0).alias("high"), F.lit("bare proxy").alias("kind"))
    holdings = moved.unionByName(with_share).unionByName(bare_votes)

    # an uncertain owner's share is at most 100 minus what the other owners certainly hold
    by_target = Window.partitionBy("d", "target")
    uncertain = F.max((F.col("low") != F.col("high")).cast("int")).over(by_target) == 1
    owners_low = F.sum(F.when(owner, F.col("low")).otherwise(0.0)).over(by_target)
    tightened = F.greatest(F.col("low"), F.least(F.col("high"), 100.0 - (owners_low - F.col("low"))))
    holdings = _ckpt(holdings.withColumn(
        "high", F.when(uncertain & owner & (F.col("high") > F.col("low")), tightened).otherwise(F.col("high")))
        .join(F.broadcast(dispersed), ["d", "holder"], "left").fillna(False, ["dispersed"]))

    rule_of = F.create_map(*[x for k in kinds for x in (F.lit(k), F.lit(DIRECT_RULES[k]))])
    direct = (shares.where(F.col("role").isin(*kinds))
              .select("d", "target", F.col("holder").alias("controller"), rule_of[F.col("role")].alias("rule"),
                      F.array_position(F.array(*[F.lit(k) for k in kinds]), F.col("role")).alias("order"))
              .groupBy("d", "target", "controller").agg(F.min(F.struct("order", "rule")).alias("first"))
              .select("d", "target", "controller", F.col("first.rule").alias("rule")))

    concert_pairs = shares.where(F.col("concert") & ~F.col("role").isin(
        "equity", "votes", "influence", "nominee", *DIRECT_RULES)).select(
        "d", F.col("holder").alias("a"), F.col("target").alias("b"))
    groups = _concert_groups(concert_pairs)

    # what influences a target's evaluation: holders, direct controllers, contract parties, fellow parties
    influence = (holdings.select("d", F.col("holder").alias("src"), F.col("target").alias("dst"))
                 .unionByName(direct.select("d", F.col("controller").alias("src"), F.col("target").alias("dst")))
                 .unionByName(all_parts.select("d", F.col("holder").alias("src"), F.col("target").alias("dst")))
                 .unionByName(groups.select("d", F.col("member").alias("src"), F.col("first").alias("dst")))
                 .unionByName(groups.select("d", F.col("first").alias("src"), F.col("member").alias("dst")))
                 .where(F.col("src") != F.col("dst")).distinct())
    influence = _ckpt(influence)
    nodes = _ckpt(influence.select("d", F.col("src").alias("node"))
                  .unionByName(influence.select("d", F.col("dst").alias("node"))).distinct())
    evaluate = _ckpt(holdings.select("d", F.col("target").alias("node"))
                     .unionByName(all_parts.select("d", F.col("target").alias("node"))).distinct())

    by_mode = F.col("d") * 2 + F.col("m")
    holdings = _ckpt(holdings.crossJoin(F.broadcast(modes)).select(
        by_mode.alias("run"), "target", "holder",
        F.when(F.col("m") == LOW, F.col("low")).otherwise(F.col("high")).alias("value"), "dispersed"))
    return {
        "has_groups": not groups.isEmpty(), "has_parts": not parts.isEmpty(),
        "holdings": holdings,
        "totals": _ckpt(holdings.groupBy("run", "target").agg(F.sum("value").alias("total"))),
        "direct": _ckpt(direct.crossJoin(F.broadcast(modes)).select(by_mode.alias("run"), "target", "controller", "rule")),
        "parts": _ckpt(parts.crossJoin(F.broadcast(modes)).select(by_mode.alias("run"), "target", "part", "holder")),
        "groups": groups,
        "group_runs": _ckpt(groups.crossJoin(F.broadcast(modes)).select(by_mode.alias("run"), "member", "group")),
        "influence": influence, "nodes": nodes, "evaluate": evaluate, "modes": modes,
    }


def _concert_groups(pairs):
    """(d, member, group, members, first): each connected set of parties acting in concert is one group.

    Labels spread along the pairs (smallest id wins) until no label changes: as many rounds as the
    longest chain of parties, one small action each.
    """
    from pyspark.sql import functions as F

    edges = _ckpt(pairs.unionByName(pairs.select("d", F.col("b").alias("a"), F.col("a").alias("b"))).distinct())
    labels = _ckpt(edges.select("d", F.col("a").alias("node")).distinct().withColumn("label", F.col("node")))
    for _ in range(MAX_ROUNDS):
        proposed = _ckpt(edges.join(labels.withColumnRenamed("node", "b"), ["d", "b"])
                         .select("d", F.col("a").alias("node"), "label").unionByName(labels)
                         .groupBy("d", "node").agg(F.min("label").alias("label")))
        changed = proposed.join(labels.withColumnRenamed("label", "old"), ["d", "node"]).where("label != old")
        labels, done = proposed, changed.isEmpty()
        if done:
            break
    members = labels.groupBy("d", "label").agg(F.array_sort(F.collect_list("node")).alias("members"))
    return _ckpt(labels.join(members, ["d", "label"])
                 .select("d", F.col("node").alias("member"),
                         F.concat(F.lit("concert::"), F.concat_ws("+", "members")).alias("group"), "members",
                         F.col("members")[0].alias("first")))


# ------------------------------------------------------------------------------------------------
# the fixed point


class _State:
    """The solver's growing tables: ``done`` (d, node), ``table`` (run, target, controller, rule),
    ``up`` (run, node, ancestor: the reflexive closure of control among settled nodes)."""

    def __init__(self, prepared):
        from pyspark.sql import functions as F

        self.p = prepared
        self.done = _ckpt(prepared["nodes"].limit(0))
        self.table = prepared["direct"]
        groups = prepared["group_runs"].select("run", F.col("group").alias("node")).distinct()
        self.up = _ckpt(groups.withColumn("ancestor", F.col("node")))
        self.rounds = 0

    def checkpoint(self, force=False):
        self.rounds += 1
        if force or self.rounds % CHECKPOINT_EVERY == 0:
            self.done, self.table, self.up = _ckpt(self.done), _ckpt(self.table), _ckpt(self.up)


def _solve(p, rules):
    """(table, up): control edges of every run, and the reflexive ancestor closure of control."""
    from pyspark.sql import functions as F

    state = _State(p)
    threshold = float(rules.control_threshold)
    _forward(state, threshold)
    remaining = _ckpt(p["nodes"].join(state.done, ["d", "node"], "left_anti"))
    if not remaining.isEmpty():
        core = _core(remaining, p["influence"])
        _cycles(state, core, threshold)
        _forward(state, threshold)
    state.checkpoint(force=True)
    return state.table, state.up


def _modes(frame, p):
    """(d, node) rows as (run, node) rows of both runs."""
    from pyspark.sql import functions as F

    return frame.crossJoin(F.broadcast(p["modes"])).select((F.col("d") * 2 + F.col("m")).alias("run"), "node")


def _forward(state, threshold):
    """Settle, round by round, every node whose influencers are all settled."""
    from pyspark.sql import functions as F

    p = state.p
    for _ in range(MAX_ROUNDS):
        blocked = (p["influence"].join(state.done.withColumnRenamed("node", "src"), ["d", "src"], "left_anti")
                   .select("d", F.col("dst").alias("node")))
        newly = _ckpt(p["nodes"].join(state.done, ["d", "node"], "left_anti").join(blocked, ["d", "node"], "left_anti"))
        if newly.isEmpty():
            return
        _trace("forward round", state.rounds)
        targets = _modes(newly.join(p["evaluate"], ["d", "node"]), p).withColumnRenamed("node", "target")
        found = _ckpt(_evaluate(p, state.table, state.up, targets, threshold)
                      .join(state.table, ["run", "target", "controller"], "left_anti"))
        state.table = state.table.unionByName(found)
        settled = _modes(newly, p)
        state.up = state.up.unionByName(_ckpt(_closure_step(settled, state.table, state.up)))
        state.done = state.done.unionByName(newly)
        state.checkpoint()


def _closure_step(nodes, table, up):
    """(run, node, ancestor) for ``nodes``: itself, and its controllers' ancestors in ``up``."""
    from pyspark.sql import functions as F

    parents = table.join(nodes.withColumnRenamed("node", "target"), ["run", "target"]).select(
        "run", F.col("target").alias("node"), "controller")
    through = parents.join(up.withColumnRenamed("node", "controller"), ["run", "controller"]).select(
        "run", "node", "ancestor")
    return nodes.withColumn("ancestor", F.col("node")).unionByName(through).distinct()


def _core(remaining, influence):
    """The unsettled nodes that influence another unsettled node, repeatedly: cycles and what joins them."""
    from pyspark.sql import functions as F

    core = remaining
    for _ in range(MAX_ROUNDS):
        inside = (influence.join(core.withColumnRenamed("node", "src"), ["d", "src"])
                  .join(core.withColumnRenamed("node", "dst"), ["d", "dst"]))
        sinks = _ckpt(core.join(inside.select("d", F.col("src").alias("node")), ["d", "node"], "left_anti"))
        _trace("trim")
        if sinks.isEmpty():
            return core
        core = _ckpt(core.join(sinks, ["d", "node"], "left_anti"))
    return core


def _cycles(state, core, threshold):
    """Run the core to a fixed point, edges only added: the low run, then the high run seeded with it."""
    from pyspark.sql import functions as F

    p = state.p
    settled_up = state.up
    for mode in (LOW, HIGH):
        nodes = core.select((F.col("d") * 2 + mode).alias("run"), "node")
        targets = (core.join(p["evaluate"], ["d", "node"])
                   .select((F.col("d") * 2 + mode).alias("run"), F.col("node").alias("target")))
        if mode == HIGH:  # the high run starts from the low run's control inside the cycles
            seeded = (state.table.where(F.col("run") % 2 == LOW).join(
                core.select((F.col("d") * 2).alias("run"), F.col("node").alias("target")), ["run", "target"])
                .withColumn("run", F.col("run") + 1))
            state.table = _ckpt(state.table.unionByName(
                seeded.join(state.table, ["run", "target", "controller"], "left_anti")))
        up = _cycle_closure(nodes, state.table, settled_up, _ckpt(nodes.withColumn("ancestor", F.col("node")), light=True))
        for _ in range(MAX_ROUNDS):  # up is always the reach of the table as it stands
            found = _evaluate(p, state.table, _ckpt(settled_up.unionByName(up), light=True), targets, threshold,
                              cyclic=True)
            new = _ckpt(found.join(state.table, ["run", "target", "controller"], "left_anti"))
            _trace("cycle round, run", mode)
            if new.isEmpty():
                break
            state.table = _ckpt(state.table.unionByName(new))
            up = _cycle_closure(nodes, state.table, settled_up, up)
        _settle(state, nodes, targets, _ckpt(settled_up.unionByName(up), light=True), settled_up, threshold)
        state.up = state.up.unionByName(up)  # settling keeps the reach of control
    state.done = state.done.unionByName(core)
    state.checkpoint(force=True)


def _settle(state, nodes, targets, up, settled_up, threshold):
    """At the fixed point, the core's controllers by votes and by bundle become the ones the rules
    give from the control found (as :meth:`ecosystem.control.solver.Solver._settle`): every target
    evaluated against the same control, "stands above" read from the reach of control; a party above
    the threshold that would lose its control of the target keeps its edge."""
    from pyspark.sql import functions as F

    keys = ["run", "target", "controller"]
    found, everyone = _evaluate(state.p, state.table, up, targets, threshold, cyclic=True, everyone=True)
    inside = state.table.join(targets, ["run", "target"])
    direct = inside.where(~F.col("rule").isin("votes", "contract bundle"))
    kept = direct.unionByName(found.join(direct, keys, "left_anti"))
    dropped = _ckpt(everyone.join(kept, keys, "left_anti"))
    table = _ckpt(state.table.join(targets, ["run", "target"], "left_anti").unionByName(kept))
    for _ in range(MAX_ROUNDS):
        if dropped.isEmpty():
            break
        reach = _cycle_closure(nodes, table, settled_up, _ckpt(nodes.withColumn("ancestor", F.col("node")), light=True))
        lost = _ckpt(dropped.join(reach.select("run", F.col("node").alias("target"),
                                               F.col("ancestor").alias("controller")), keys, "left_anti"))
        _trace("settle")
        if lost.isEmpty():
            break
        table = _ckpt(table.unionByName(lost))
        dropped = _ckpt(dropped.join(lost, keys, "left_anti"))
    state.table = table


def _cycle_closure(nodes, table, settled_up, up):
    """The closure of control for the cycle's ``nodes``, grown from ``up`` until it stops growing."""
    size = up.count()
    for _ in range(MAX_ROUNDS):
        grown = _ckpt(_closure_step(nodes, table, settled_up.unionByName(up)).unionByName(up).distinct())
        grown_size = grown.count()
        up = grown
        if grown_size == size:
            break
        size = grown_size
    return up


def _evaluate(p, table, up, targets, threshold, cyclic=False, everyone=False):
    """Controllers (run, target, controller, rule) of ``targets`` (run, target) by votes and by bundle;
    with ``everyone``, also every party above the threshold, lowest or not (a pair of frames)."""
    from pyspark.sql import functions as F

    keys = ["run", "target"]
    holdings = _ckpt(p["holdings"].join(targets, keys).join(p["totals"], keys), light=True)
    # ancestors for pooling: everything above in control, and the concert groups of each
    pool_up = up
    if p["has_groups"]:
        pool_up = _ckpt(up.unionByName(up.join(p["group_runs"].withColumnRenamed("member", "ancestor"),
                                               ["run", "ancestor"])
                                       .select("run", "node", F.col("group").alias("ancestor"))).distinct(),
                        light=True)
    over = F.col("total") > threshold + EPSILON
    by_votes = None
    if threshold >= 50:  # one holder above the threshold: nobody else can gather a majority of what is left
        single = (holdings.where(over & (F.col("total") <= 100 + EPSILON) & (F.col("value") > threshold + EPSILON)
                                 & ~F.col("dispersed"))
                  .select("run", "target", F.col("holder").alias("controller")).distinct())
        holdings = holdings.join(single.select(*keys), keys, "left_anti")
        by_votes = single
    pooled = (holdings.where((F.col("value") > 0) & ~F.col("dispersed"))
              .join(pool_up.withColumnRenamed("node", "holder"), ["run", "holder"])
              .where(over & (F.col("ancestor") != F.col("target")))
              .groupBy("run", "target", F.col("ancestor").alias("controller")).agg(F.sum("value").alias("pooled"))
              .where(F.col("pooled") > threshold + EPSILON)
              .select("run", "target", "controller"))
    candidates = pooled if by_votes is None else by_votes.unionByName(pooled)
    pooled = _minimal(pooled, table, up, p["group_runs"] if p["has_groups"] else None, cyclic)
    by_votes = pooled if by_votes is None else by_votes.unionByName(pooled)
    found = by_votes.select("run", "target", "controller", F.lit("votes").alias("rule"), F.lit(1).alias("order"))
    candidates = candidates.select("run", "target", "controller", F.lit("votes").alias("rule"), F.lit(1).alias("order"))
    if not p["has_parts"]:
        found = found.select("run", "target", "controller", "rule")
        return (found, candidates.select(*found.columns)) if everyone else found

    # a contract bundle: whoever stands behind (is, or is above) a holder of every part
    parts = p["parts"].join(targets, keys)  # small: the targets' contract parts
    reach = (parts.join(pool_up.withColumnRenamed("node", "holder"), ["run", "holder"])
             .select("run", "target", "part", F.col("ancestor").alias("controller")).distinct())
    common = (reach.groupBy("run", "target", "controller").agg(F.countDistinct("part").alias("n"))
              .where((F.col("n") == len(BUNDLE_ROLES)) & (F.col("controller") != F.col("target")))
              .select("run", "target", "controller"))
    by_bundle = _minimal(common, table, up, p["group_runs"] if p["has_groups"] else None, cyclic)
    found = (found.unionByName(by_bundle.select("run", "target", "controller", F.lit("contract bundle").alias("rule"),
                                           F.lit(2).alias("order"))))
    candidates = candidates.unionByName(common.select("run", "target", "controller",
                                                      F.lit("contract bundle").alias("rule"), F.lit(2).alias("order")))

    def first(frame):  # the first rule found is the one reported, as in the embedded engine: direct, votes, bundle
        return (frame.groupBy("run", "target", "controller").agg(F.min(F.struct("order", "rule")).alias("first"))
                .select("run", "target", "controller", F.col("first.rule").alias("rule")))

    return (first(found), first(candidates)) if everyone else first(found)


def _minimal(candidates, table, up, group_runs, cyclic=False):
    """The candidates that control no other candidate of the same target (control is then through it).

    Outside the cycles a candidate's parents are enough; inside them (``cyclic``) "controls" is read
    from the reach of control, as :meth:`ecosystem.control.solver.Solver._minimal` does.
    """
    from pyspark.sql import functions as F

    keys = ["run", "target", "controller"]
    if cyclic:  # a candidate strictly above another one, unless that one is above it too
        upper = candidates.select("run", "target", F.col("controller").alias("upper"))
        lower = candidates.select("run", "target", F.col("controller").alias("lower"))
        above = (upper.join(lower, ["run", "target"]).where(F.col("upper") != F.col("lower"))
                 .join(up.select("run", F.col("node").alias("lower"), F.col("ancestor").alias("upper")),
                       ["run", "lower", "upper"])
                 .join(up.select("run", F.col("node").alias("upper"), F.col("ancestor").alias("lower")),
                       ["run", "upper", "lower"], "left_anti")
                 .select("run", "target", F.col("upper").alias("controller")))
    else:  # a parent of a candidate controls through it, unless the candidate is above the parent (a cycle)
        parents = table.select("run", F.col("target").alias("controller"), F.col("controller").alias("parent"))
        above = (candidates.join(parents, ["run", "controller"])
                 .join(up.select("run", F.col("node").alias("parent"), F.col("ancestor").alias("controller")),
                       ["run", "parent", "controller"], "left_anti")
                 .select("run", "target", F.col("parent").alias("controller")))
    if group_runs is not None:  # a concert group is not a candidate where one of its members is one alone
        above = above.unionByName(candidates.join(group_runs.withColumnRenamed("member", "controller"),
                                                  ["run", "controller"])
                                  .select("run", "target", F.col("group").alias("controller")))
    return candidates.join(above, keys, "left_anti")


# ------------------------------------------------------------------------------------------------
# economic interest of final owners (ecosystem.control.economic.economic_interest, every entity at once)

ECONOMIC_TOLERANCE = 1e-12  # the rounds stop when no new contribution (a fraction) reaches this
ECONOMIC_ROUNDS = 2000  # past it: an error naming where the interest does not converge
ECONOMIC_ROUNDS_KEY = "spark.ecosystem.economicRounds"  # a Spark setting that raises (or lowers) the cap


class EconomicDivergence(EcosystemError):
    """The walks of equity through a cycle of holdings have not died out within the cap of delta rounds:
    a cycle passes on nearly all of what it holds (slow convergence), or its holdings add up to 100% or
    more with the high ends of shares (no convergence)."""


def _economic(in_force, modes, rules):
    """(final_owners, closed_cycle): ``final_owners`` (d, target, owner, low, high), the interest in
    percent (capped at 100) of each final owner upstream of each entity; ``closed_cycle`` (d, target,
    members), the closed cycle of companies above (or around) an entity, which then has no numbers.

    As :func:`ecosystem.control.economic.economic_interest` defines them: equity holdings of the
    economic relation types (after nominees, tightened), low and high ends as two runs; a final owner
    is held by nobody, even with the high ends. Its interest in an entity is the sum over every walk
    of holdings from it to the entity of the product of the fractions held, found by rounds of
    joins: each round carries the newest contributions one holding further down and adds them up,
    until none reaches :data:`ECONOMIC_TOLERANCE` (a cycle of cross-holdings only makes them smaller,
    round after round). What lies in or below a closed cycle (companies holding all of each other)
    gets no numbers; value is never carried into a closed cycle, so the rounds end.
    """
    from functools import reduce

    from pyspark.sql import functions as F

    edges = _economic_edges(in_force, modes, rules)
    closed = _closed_cycles(edges)
    below = _below_closed(edges, closed)

    flow = _ckpt(edges.join(closed.select("run", F.col("node").alias("target")), ["run", "target"], "left_anti"))
    day = (F.col("run") / 2).cast("int")
    # each run starts from who nobody holds in it (the high run's are the final owners; the low run's
    # stand in where only the high ends close a cycle, as in economic_interest)
    held = edges.select("run", F.col("target").alias("holder")).distinct()
    delta = _ckpt(flow.join(held, ["run", "holder"], "left_anti")
                  .select("run", F.col("holder").alias("source"), F.col("target").alias("node"), "value"))
    steps = flow.select("run", F.col("holder").alias("node"), "target", F.col("value").alias("weight"))
    parts = [delta]
    cap = int(in_force.sparkSession.conf.get(ECONOMIC_ROUNDS_KEY, str(ECONOMIC_ROUNDS)))
    for _ in range(cap):
        largest = delta.agg(F.max("value")).first()[0]
        _trace("economic round", len(parts), largest)
        if largest is None or largest < ECONOMIC_TOLERANCE:
            break
        delta = _ckpt(delta.join(steps, ["run", "node"])
                      .groupBy("run", "source", F.col("target").alias("node"))
                      .agg(F.sum(F.col("value") * F.col("weight")).alias("value")),
                      light=len(parts) % CHECKPOINT_EVERY != 0)
        parts.append(delta)
    else:
        where = sorted({row["node"] for row in delta.orderBy(F.desc("value")).limit(5).collect()})
        raise EconomicDivergence(
            f"the economic interest has not converged within {cap} delta rounds around {', '.join(where)}: "
            f"a cycle of holdings there passes on nearly all of what it holds (each round carries value one "
            f"holding further; a cycle of 100% and 99% needs about 4,600 rounds), or its holdings add up to 100% "
            f"or more with the high ends of shares (it would never converge); raise the cap with the Spark "
            f"setting {ECONOMIC_ROUNDS_KEY} (default {ECONOMIC_ROUNDS}, e.g. in spark-defaults.conf), or use "
            f"the embedded engine, which solves each cycle directly")
    total = reduce(lambda a, b: a.unionByName(b), parts).groupBy("run", "source", "node").agg(
        F.sum("value").alias("value"))
    mode = F.col("run") % 2

    def percent(column):  # as economic_interest: the fraction in percent, at most 100
        return F.least(F.lit(100.0), F.coalesce(F.col(column), F.lit(0.0)) * 100.0).alias(column)

    keys = ["d", "node", "source"]
    lows = total.where(mode == LOW).select(day.alias("d"), "node", "source", F.col("value").alias("low"))
    highs = total.where(mode == HIGH).select(day.alias("d"), "node", "source", F.col("value").alias("high"))
    shut = below.groupBy(day.alias("d"), "node").agg(F.min(mode).alias("first"))  # LOW: the low run's cycle
    # no closed cycle: the high run's final owners, each with its interest in both runs; a cycle closed
    # by the high ends alone: the low run's final owners, at most 100% with the high ends
    owners = (highs.join(lows, keys, "left").join(shut, ["d", "node"], "left_anti")
              .unionByName(lows.join(shut.where(F.col("first") == HIGH), ["d", "node"])
                           .select(*keys, "low", F.lit(1.0).alias("high")))
              .select("d", F.col("node").alias("target"), F.col("source").alias("owner"), percent("low"),
                      percent("high")))
    # the closed cycle named: the low run's, else the high run's; among several, the one whose first id comes first
    members = closed.select("run", "label", "members").distinct()
    cycles = (below.groupBy("run", "node").agg(F.min("label").alias("label")).join(members, ["run", "label"])
              .groupBy(day.alias("d"), F.col("node").alias("target"))
              .agg(F.min(F.struct(mode.alias("m"), "members")).alias("first"))
              .select("d", "target", F.col("first.members").alias("members")))
    return _ckpt(owners), _ckpt(cycles)


def _economic_edges(in_force, modes, rules):
    """(run, holder, target, value): the fraction of ``target``'s equity held by ``holder`` (above 0,
    several holdings added up), as :meth:`ecosystem.control.holdings.Holdings.economic_holdings` reads them."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    margin = float(rules.approximate_margin)
    low = F.coalesce(F.col("equity_low"), F.lit(0.0))
    high = F.coalesce(F.col("equity_high"), F.lit(100.0))
    if margin:  # an approximate value v counts as the range v ± margin
        exact = F.coalesce(F.col("equity_approximate"), F.lit(False)) & (F.col("equity_low") == F.col("equity_high"))
        low, high = (F.when(exact, F.greatest(F.lit(0.0), low - margin)).otherwise(low),
                     F.when(exact, F.least(F.lit(100.0), high + margin)).otherwise(high))
    # a general partner's unknown share counts as 0 to what others leave: no holding
    economic = in_force.where(F.col("economic") & ~F.col("indirect")
                              & ~(F.col("equity_low").isNull() & (F.col("control_role") == "general_partner")))
    holdings = economic.select("d", F.col("from").alias("holder"), F.col("to").alias("target"), "type",
                               low.alias("low"), high.alias("high"))
    # a nominee's equity counts for its principal(s); with several, whose block is whose is unknown
    nominees = in_force.where(~F.col("indirect") & (F.col("control_role") == "nominee")).select(
        "d", F.col("from").alias("holder"), F.col("to").alias("principal")).distinct()
    nominees = nominees.join(nominees.groupBy("d", "holder").agg(F.count("*").alias("principals")), ["d", "holder"])
    holdings = (holdings.join(nominees, ["d", "holder"], "left")
                .select("d", "target", F.coalesce("principal", "holder").alias("holder"), "type",
                        F.when(F.col("principals") > 1, F.lit(0.0)).otherwise(F.col("low")).alias("low"), "high"))
    # an uncertain owner's share is at most 100 minus what the other owners certainly hold
    by_target = Window.partitionBy("d", "target")
    owner = F.col("type").isin(*OWNER_TYPES)
    uncertain = F.max((F.col("low") != F.col("high")).cast("int")).over(by_target) == 1
    owners_low = F.sum(F.when(owner, F.col("low")).otherwise(0.0)).over(by_target)
    tightened = F.greatest(F.col("low"), F.least(F.col("high"), 100.0 - (owners_low - F.col("low"))))
    holdings = holdings.withColumn(
        "high", F.when(uncertain & owner & (F.col("high") > F.col("low")), tightened).otherwise(F.col("high")))
    value = F.when(F.col("m") == LOW, F.col("low")).otherwise(F.col("high")) / 100.0
    return _ckpt(holdings.crossJoin(F.broadcast(modes))
                 .select((F.col("d") * 2 + F.col("m")).alias("run"), "holder", "target", value.alias("value"))
                 .where(F.col("value") > 0)
                 .groupBy("run", "holder", "target").agg(F.sum("value").alias("value")))


def _closed_cycles(edges):
    """(run, node, label, members): the members of each closed cycle (a strongly connected set of
    companies whose holders inside it hold all of each of them), ``label`` its first id.

    Only a company held in full can be in one: those are kept while what the kept ones hold of them
    reaches 100%, round after round; among them, who reaches whom grows by doubling (the reach joined
    with itself) until it stops growing, and a cycle is a set of companies that reach each other.
    """
    from pyspark.sql import functions as F

    empty = edges.select("run", F.col("target").alias("node"), F.col("target").alias("label"),
                         F.array("target").alias("members")).limit(0)
    kept = _ckpt(edges.groupBy("run", "target").agg(F.sum("value").alias("total"))
                 .where(F.col("total") >= CLOSED).select("run", F.col("target").alias("node")))
    size = kept.count()
    for _ in range(MAX_ROUNDS):
        if not size:
            return empty
        inside = (edges.join(kept.withColumnRenamed("node", "holder"), ["run", "holder"])
                  .join(kept.withColumnRenamed("node", "target"), ["run", "target"]))
        trimmed = _ckpt(inside.groupBy("run", "target").agg(F.sum("value").alias("total"))
                        .where(F.col("total") >= CLOSED).select("run", F.col("target").alias("node")))
        _trace("economic: companies held in full")
        size, kept, before = trimmed.count(), trimmed, size
        if size == before:
            break
    if not size:
        return empty
    links = _ckpt(edges.join(kept.withColumnRenamed("node", "holder"), ["run", "holder"])
                  .join(kept.withColumnRenamed("node", "target"), ["run", "target"])
                  .select("run", F.col("holder").alias("a"), F.col("target").alias("b")).distinct())
    reach, size = links, links.count()
    for _ in range(MAX_ROUNDS):
        grown = _ckpt(reach.unionByName(
            reach.withColumnRenamed("b", "m").join(reach.withColumnRenamed("a", "m"), ["run", "m"]).select("run", "a", "b"))
            .distinct())
        _trace("economic: reach")
        size, reach, before = grown.count(), grown, size
        if size == before:
            break
    back = reach.select("run", F.col("b").alias("a"), F.col("a").alias("b"))
    labels = (reach.join(back, ["run", "a", "b"]).groupBy("run", "a").agg(F.min("b").alias("label"))
              .select("run", F.col("a").alias("node"), "label"))
    inside = (edges.join(labels.withColumnRenamed("node", "holder"), ["run", "holder"])
              .join(labels.withColumnRenamed("node", "target"), ["run", "target", "label"])
              .groupBy("run", "target").agg(F.sum("value").alias("inside")))
    members = (labels.join(inside.withColumnRenamed("target", "node"), ["run", "node"], "left")
               .groupBy("run", "label").agg(
                   F.min((F.coalesce("inside", F.lit(0.0)) >= CLOSED).cast("int")).alias("closed"),
                   F.array_sort(F.collect_list("node")).alias("members"))
               .where(F.col("closed") == 1).drop("closed"))
    return _ckpt(labels.join(members, ["run", "label"]).select("run", "node", "label", "members"))


def _below_closed(edges, closed):
    """(run, node, label): the members of each closed cycle and everything they hold, directly or not."""
    from pyspark.sql import functions as F

    seen = newest = closed.select("run", "node", "label")
    if closed.isEmpty():
        return seen
    steps = edges.select("run", F.col("holder").alias("node"), "target")
    for _ in range(MAX_ROUNDS):
        newest = _ckpt(newest.join(steps, ["run", "node"]).select("run", F.col("target").alias("node"), "label")
                       .distinct().join(seen, ["run", "node", "label"], "left_anti"))
        _trace("economic: below a closed cycle")
        if newest.isEmpty():
            break
        seen = _ckpt(seen.unionByName(newest))
    return seen


# ------------------------------------------------------------------------------------------------
# answers


def _ultimate(up, groups):
    """(d, target, controller, status, group): the controllers with nobody above them.

    A root is an ancestor whose every ancestor is also below it: nobody is above it, or it sits in
    a closed control cycle (whose members are then listed together, in ``group``). A concert group
    is listed as its members, jointly. The low run gives "controls"; the high run adds "may control".
    """
    from pyspark.sql import functions as F

    strict = up.where(F.col("node") != F.col("ancestor"))
    back = strict.select("run", F.col("ancestor").alias("node"), F.col("node").alias("ancestor"))
    outside = strict.join(back, ["run", "node", "ancestor"], "left_anti").select("run", "node").distinct()
    cycle = (strict.join(back, ["run", "node", "ancestor"])
             .groupBy("run", "node").agg(F.collect_set("ancestor").alias("others")))
    roots = (up.select("run", F.col("ancestor").alias("node")).distinct()
             .join(outside, ["run", "node"], "left_anti")
             .join(cycle, ["run", "node"], "left")
             .select("run", F.col("node").alias("ancestor"),
                     F.when(F.col("others").isNull(), F.array().cast("array<string>"))
                     .otherwise(F.array_sort(F.array_union(F.array(F.col("node")), F.col("others")))).alias("group")))
    found = (up.join(roots, ["run", "ancestor"])
             .where((F.col("node") != F.col("ancestor")) | (F.size("group") > 0))
             .select("run", F.col("node").alias("target"), F.col("ancestor").alias("controller"), "group"))
    found = found.withColumn("d", (F.col("run") / 2).cast("int"))
    plain = found.where(~F.col("controller").startswith("concert::"))
    joint = (found.where(F.col("controller").startswith("concert::"))
             .join(groups.select("d", F.col("group").alias("controller"), "member", "members"), ["d", "controller"])
             .select("run", "target", F.col("member").alias("controller"), F.col("members").alias("group"), "d"))
    ranked = plain.unionByName(joint).withColumn("rank", F.col("run") % 2)
    # a controller found in the low run is certain; the high run only adds who may control
    return (ranked.groupBy("d", "target", "controller").agg(F.min(F.struct("rank", "group")).alias("best"))
            .select("d", "target", "controller",
                    F.when(F.col("best.rank") == LOW, F.lit("controls")).otherwise(F.lit("may control")).alias("status"),
                    F.col("best.group").alias("group")))


def _verdicts(entities, runs, in_force, ultimate):
    """(as_of, id, verdict), with the values of :mod:`ecosystem.control.verdicts`."""
    from pyspark.sql import functions as F

    confers = ((~F.col("control_role").isin("none", "nominee")) | F.col("bundle_role").isNotNull())
    pointed = in_force.where(confers).select("d", F.col("to").alias("id")).distinct() \
        .withColumn("held", F.lit(True))
    # members of one concert group or control cycle are one controlling party
    party = F.when(F.size("group") > 0, F.concat_ws("+", "group")).otherwise(F.col("controller"))
    summary = ultimate.groupBy("d", F.col("target").alias("id")).agg(
        F.countDistinct(F.when(F.col("status") == "controls", party)).alias("certain"),
        F.count("*").alias("any"))
    return (entities.select("id", "start_day", "end_day").crossJoin(F.broadcast(runs))
            .join(pointed, ["d", "id"], "left").join(summary, ["d", "id"], "left")
            .select("as_of", "id",
                    F.when(F.col("start_day") > F.col("day"), F.lit("not yet founded"))
                    .when(F.col("end_day") <= F.col("day"), F.lit("dissolved"))
                    .when(F.col("certain") > 1, F.lit("contested"))
                    .when(F.col("certain") == 1, F.lit("controlled"))
                    .when(F.col("any") > 0, F.lit("may be controlled"))
                    .when(F.col("held").isNull(), F.lit("unknown"))
                    .otherwise(F.lit("no controlling party")).alias("verdict")))


def records_frame(result: dict):
    """One row per entity and date: id, as_of, verdict, direct, ultimate, final_owners, closed_cycle
    (the records' shape; the final owners' interest rounded to 6 decimals, largest first)."""
    from pyspark.sql import functions as F

    direct = result["direct"].groupBy("as_of", F.col("target").alias("id")).agg(
        F.array_sort(F.collect_list(F.struct(F.col("controller").alias("id"), "rule", "status"))).alias("direct"))
    # ultimate controllers in the embedded engine's order: by the group's text (as Python writes a list), id, status
    group_text = F.concat(F.lit("["), F.array_join(F.transform("group", lambda x: F.concat(F.lit("'"), x, F.lit("'"))),
                                                   ", "), F.lit("]"))
    ultimate = (result["ultimate"].groupBy("as_of", F.col("target").alias("id")).agg(
        F.array_sort(F.collect_list(F.struct(group_text.alias("key"), "group", F.col("controller").alias("id"),
                                             "status"))).alias("sorted"))
        .select("as_of", "id", F.transform("sorted", lambda x: F.struct(
            x["group"].alias("group"), x["id"].alias("id"), x["status"].alias("status"))).alias("ultimate")))
    low, high = _rounded(F.col("low")), _rounded(F.col("high"))
    owners = (result["final_owners"].groupBy("as_of", F.col("target").alias("id")).agg(
        F.array_sort(F.collect_list(F.struct((-low).alias("order"), F.col("owner").alias("id"), low.alias("low"),
                                             high.alias("high")))).alias("sorted"))
        .select("as_of", "id", F.transform("sorted", lambda x: F.struct(
            x["id"].alias("id"), x["low"].alias("low"), x["high"].alias("high"))).alias("final_owners")))
    empty_direct = F.array().cast("array<struct<id:string,rule:string,status:string>>")
    empty_ultimate = F.array().cast("array<struct<group:array<string>,id:string,status:string>>")
    empty_owners = F.array().cast("array<struct<id:string,low:double,high:double>>")
    return (result["verdicts"].join(direct, ["as_of", "id"], "left").join(ultimate, ["as_of", "id"], "left")
            .join(owners, ["as_of", "id"], "left")
            .join(result["closed_cycle"].withColumnRenamed("target", "id"), ["as_of", "id"], "left")
            .select("id", "as_of", "verdict", F.coalesce("direct", empty_direct).alias("direct"),
                    F.coalesce("ultimate", empty_ultimate).alias("ultimate"),
                    F.coalesce("final_owners", empty_owners).alias("final_owners"),
                    F.coalesce("members", F.array().cast("array<string>")).alias("closed_cycle")))


def _rounded(column):
    """:func:`ecosystem.control.rules.rounded` as a column: Spark's ``round`` is half up on the shortest
    decimal form of the double, as the embedded rule is, one step per number of digits (9, then 6)."""
    from pyspark.sql import functions as F

    for digits in ROUNDING_DIGITS:
        column = F.round(column, digits)
    return column


_COMPRESSION = {"json": {}, "parquet": {"compression": "zstd"}}


def write_records(result: dict, folder, single: bool = True) -> tuple[list[str], int]:
    """Spark writes the records itself, as JSON lines and Parquet, sorted by date, then id; nothing is
    collected to this process. (paths written, number of records).

    ``single`` (a local master): one ordered partition, written into a scratch folder inside
    ``folder`` and moved into place as ``control.jsonl`` and ``control.parquet``, the files
    :func:`ecosystem.analysis.write_records` writes (the same records; keys in the same order).
    Otherwise (a cluster, Spark Connect): Spark's own folders ``control.jsonl/`` and
    ``control.parquet/`` of part files, globally sorted (read the parts in name order), written where
    the executors write: ``folder`` must be on storage they share.
    """
    import shutil

    from pyspark.sql import functions as F

    base = _ckpt(records_frame(result).join(F.broadcast(result["dates"]), "as_of"))  # computed once
    # the JSON lines' keys in sorted order (as json.dumps(sort_keys=True)); Parquet's as analysis.write_records
    jsonl = base.select(
        "d", "as_of", "closed_cycle", "direct",
        F.transform("final_owners", lambda x: F.struct(x["high"].alias("high"), x["id"].alias("id"),
                                                       x["low"].alias("low"))).alias("final_owners"),
        "id", "ultimate", "verdict")
    table = base.select(
        "d", "id", "as_of", "verdict",
        F.transform("direct", lambda x: F.struct(x["id"].alias("id"), x["status"].alias("status"),
                                                 x["rule"].alias("rule"))).alias("direct"),
        F.transform("ultimate", lambda x: F.struct(x["id"].alias("id"), x["status"].alias("status"),
                                                   x["group"].alias("group"))).alias("ultimate"),
        "final_owners", "closed_cycle")
    outputs = (("control.jsonl", jsonl, "json"), ("control.parquet", table, "parquet"))
    if not single:
        paths = []
        for name, frame, kind in outputs:
            path = f"{str(folder).rstrip('/')}/{name}"
            frame.orderBy("d", "id").drop("d").write.mode("overwrite").options(**_COMPRESSION[kind]).format(kind).save(path)
            paths.append(path)
        return paths, base.count()
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    scratch = directory / f".spark-{os.getpid()}"
    paths = []
    try:
        for name, frame, kind in outputs:
            written = scratch / kind
            (frame.repartition(1).sortWithinPartitions("d", "id").drop("d")
             .write.mode("overwrite").options(**_COMPRESSION[kind]).format(kind).save(str(written)))
            parts = sorted(written.glob("part-*"))
            final = directory / name
            if final.is_dir():  # Spark's folder of parts, from a run on a cluster
                shutil.rmtree(final)
            if parts:
                os.replace(parts[0], final)
            elif kind == "json":  # no records (Spark wrote no part): an empty file
                final.write_text("", encoding="utf-8")
            else:
                raise EcosystemError(f"Spark wrote no Parquet part file in {written}")
            paths.append(str(final))
        return paths, base.count()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def to_records(result: dict) -> list[dict]:
    """The records of :mod:`ecosystem.analysis`, sorted by date, then id (collected to the driver)."""
    records = [_record(row) for row in records_frame(result).toLocalIterator()]
    return sorted(records, key=lambda r: (dates.sort_key(r["as_of"]), r["id"]))


def _record(row) -> dict:
    from .analysis import _order

    direct = [{"id": item["id"], "status": item["status"], "rule": item["rule"]} for item in row["direct"]]
    ultimate = [{"id": item["id"], "status": item["status"], "group": list(item["group"])} for item in row["ultimate"]]
    owners = [{"id": item["id"], "low": item["low"], "high": item["high"]} for item in row["final_owners"]]
    return {"id": row["id"], "as_of": row["as_of"], "verdict": row["verdict"],
            "direct": sorted(direct, key=_order), "ultimate": sorted(ultimate, key=_order),
            "final_owners": owners, "closed_cycle": list(row["closed_cycle"])}
