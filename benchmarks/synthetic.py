"""Synthetic datasets in our schema, for benchmarks: N entities, 3N relations, deterministic.

``make_records(n, seed)`` gives ``{"sources": [...], "entities": [...], "relations": [...]}`` as plain
dicts (dates as partial-date strings); ``write_dataset(directory, n, fmt="yaml"|"json", files=K)``
writes them as K record files (plus ``sources.yaml`` / ``sources.json``). The data is realistic
enough to exercise every validator: ownership in business groups of bounded depth, as registers
have it (most firms have a few holders; see ``_Ownership``), with shares that never sum past 100% per target
(exact, approximate ``"~25"`` and ``{min, max}``), partial dates of every precision, end dates after
start dates, short-string and mapping citations, Chinese names, aliases, facts, amounts, laws.

    python -m benchmarks.synthetic OUT_DIR --n 100000 --fmt yaml --files 4
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

# entity types, with their share of the N entities
_TYPES = [
    ("company", 0.52), ("person", 0.30), ("platform", 0.05), ("partnership", 0.03),
    ("state_body", 0.03), ("organization", 0.03), ("law", 0.02), ("financial_product", 0.015),
]
_JURISDICTIONS = [
    ("prc", "People's Republic of China", "中华人民共和国", ["PRC", "China"]),
    ("cayman_islands", "Cayman Islands", "开曼群岛", ["Cayman"]),
    ("hong_kong", "Hong Kong", "香港", ["HKSAR"]),
    ("british_virgin_islands", "British Virgin Islands", "英属维尔京群岛", ["BVI"]),
    ("singapore", "Singapore", "新加坡", []),
    ("united_states", "United States", "美国", ["USA"]),
    ("japan", "Japan", "日本", []),
    ("luxembourg", "Luxembourg", "卢森堡", []),
]
_PROVINCES = ["Zhejiang", "Hangzhou", "Shanghai", "Beijing", "Shenzhen", "Guangzhou", "Jiangsu", "Sichuan",
              "Hainan", "Tianjin", "Chongqing", "Fujian", "Hubei", "Shandong", "Anhui", "Yunnan"]
_PROVINCES_ZH = ["浙江", "杭州", "上海", "北京", "深圳", "广州", "江苏", "四川",
                 "海南", "天津", "重庆", "福建", "湖北", "山东", "安徽", "云南"]
_WORDS = ["Cloud", "Network", "Technology", "Finance", "Commerce", "Logistics", "Data", "Media", "Health",
          "Micro", "Trade", "Capital", "Digital", "Smart", "Payment", "Culture", "Travel", "Retail"]
_WORDS_ZH = ["云", "网络", "科技", "金融", "商务", "物流", "数据", "传媒", "健康",
             "微", "贸易", "资本", "数字", "智慧", "支付", "文化", "旅行", "零售"]
_SURNAMES = ["Ma", "Zhang", "Wang", "Li", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Hu"]
_SURNAMES_ZH = ["马", "张", "王", "李", "陈", "刘", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡"]
_GIVEN_ZH = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志文辉"
_SOURCE_KINDS = ["book", "article", "chapter", "filing", "report", "news", "web", "decision", "dataset"]
_ROLES = ["chairman", "director", "chief executive", "supervisor", "legal representative", "partner"]
_INSTRUMENTS = ["voting_proxy", "exclusive_option", "exclusive_services", "equity_pledge", "loan_agreement"]
_UNITS = ["people", "users", "merchants", "stores"]
_MONEY_UNITS = ["thousand", "million", "billion"]
_CURRENCIES = ["CNY", "USD", "HKD"]


def _code(i: int, alphabet: str, width: int = 3) -> str:
    """``i`` written in ``alphabet`` (a unique tag per index, e.g. for Chinese names)."""
    digits = []
    for _ in range(width):
        i, digit = divmod(i, len(alphabet))
        digits.append(alphabet[digit])
    return "".join(digits) + (str(i) if i else "")


def _date(rng: random.Random, low: int = 1990, high: int = 2023) -> str:
    year = rng.randint(low, high)
    precision = rng.random()
    if precision < 0.3:
        return str(year)
    if precision < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class _Citer:
    def __init__(self, rng: random.Random, source_ids: list[str]):
        self.rng, self.source_ids = rng, source_ids

    def __call__(self, count: int | None = None) -> list:
        rng = self.rng
        out = []
        for _ in range(count or (1 if rng.random() < 0.8 else 2)):
            source = rng.choice(self.source_ids)
            roll = rng.random()
            if roll < 0.75:
                out.append(f"{source} §{rng.randint(1, 9)}.{rng.randint(1, 9)}, n {rng.randint(1, 200)}")
            elif roll < 0.9:
                out.append({"source": source, "locator": f"pp {rng.randint(1, 300)}-{rng.randint(301, 600)}"})
            else:
                out.append(source)
        return out


class _Ownership:
    """Who holds a firm, shaped as registers are: business groups of bounded depth.

    The firms (companies and partnerships, in file order) fall into groups of mostly one to five
    firms, a few up to 40 (a Pareto law). The first firm of a group is its head; every other firm has
    a parent among the earlier ones of its group, at most five levels below the head. A holder of a
    firm is its parent or another earlier firm of its group (half the time, for a firm below a head),
    a person, or the head of another group (an outside investor); one holder in seventy is a later
    firm of the same group (a cross-holding, hence a few cycles). Heads are held by people only and
    are under no contract, so what stands above a firm is its group's upper part and a
    few holders of each: a question about one firm reaches tens of entities, not the whole register.
    """

    MAX_DEPTH = 5

    def __init__(self, rng: random.Random, firms: list[str], persons: list[str]):
        self.rng, self.persons = rng, persons
        self.group: dict[str, list[str]] = {}
        self.place: dict[str, int] = {}
        self.parent: dict[str, str] = {}
        self.heads: list[str] = []
        start = 0
        while start < len(firms):
            members = firms[start:start + min(40, int(rng.paretovariate(1.2)))]
            start += len(members)
            self.heads.append(members[0])
            depth = {members[0]: 0}
            for place, firm in enumerate(members):
                self.group[firm], self.place[firm] = members, place
                if place:
                    parent = rng.choice([m for m in members[:place] if depth[m] < self.MAX_DEPTH])
                    self.parent[firm], depth[firm] = parent, depth[parent] + 1
        self.company_heads = [head for head in self.heads if head.startswith("company_")] or self.heads

    def __call__(self, target: str, companies_only: bool = False) -> str:
        """A holder of ``target`` (a company, for a contract; the target itself when it can have none:
        the caller skips that relation)."""
        rng = self.rng
        roll = rng.random()
        members, place = self.group.get(target, [target]), self.place.get(target, 0)
        if place and roll < 0.5:
            holder = self.parent[target] if rng.random() < 0.7 else members[rng.randrange(place)]
        elif place and roll > 0.985 and place + 1 < len(members):
            holder = members[rng.randrange(place + 1, len(members))]  # a cross-holding inside the group
        elif companies_only:
            holder = rng.choice(self.company_heads) if place else target  # heads are under no contract
        elif roll < 0.8 or not place:
            holder = rng.choice(self.persons) if self.persons else target
        else:
            holder = rng.choice(self.heads)  # an outside investor
        if companies_only and not holder.startswith("company_"):
            holder = rng.choice(self.company_heads) if place else target
        return holder


def make_records(n: int, seed: int = 0) -> dict[str, list[dict]]:
    """N entities and 3N relations (and n // 100 + 5 sources), the same for the same (n, seed)."""
    records: dict[str, list[dict]] = {"sources": [], "entities": [], "relations": []}
    for section, record in iter_records(n, seed):
        records[section].append(record)
    return records


def iter_records(n: int, seed: int = 0):
    """The records of :func:`make_records` one at a time, as ``(section, record)``: sources, then
    entities, then relations. Only ids are kept meanwhile, so a large dataset can be written as it
    is made."""
    rng = random.Random(seed)
    sources = []
    for i in range(n // 100 + 5):
        source = {"id": f"src_{i}", "kind": rng.choice(_SOURCE_KINDS), "title": f"Report on the platform economy, part {i}"}
        if rng.random() < 0.7:
            source["author"] = f"{rng.choice(_SURNAMES)} {_code(i, 'abcdefghij').title()}"
        if rng.random() < 0.8:
            source["date"] = _date(rng, 2000, 2023)
        if rng.random() < 0.3:
            source["url"] = f"https://example.org/reports/{i}"
        sources.append(source)
    source_ids = [s["id"] for s in sources]
    cite = _Citer(rng, source_ids)
    for source in sources:
        yield "sources", source

    entities: list[tuple[str, str]] = []  # (id, type)
    by_type: dict[str, list[str]] = {}

    def add(record: dict) -> None:
        entities.append((record["id"], record["type"]))
        by_type.setdefault(record["type"], []).append(record["id"])

    for jid, name, zh, aliases in _JURISDICTIONS[: max(1, min(len(_JURISDICTIONS), n // 10))]:
        record = {"id": jid, "name": name, "type": "jurisdiction", "names": {"zh": zh}, "sources": cite(1)}
        if aliases:
            record["aliases"] = list(aliases)
        add(record)
        yield "entities", record
    jurisdictions = list(by_type["jurisdiction"])
    remaining = n - len(entities)
    kinds = [kind for kind, _ in _TYPES]
    weights = [weight for _, weight in _TYPES]
    for i in range(remaining):
        kind = kinds[0] if i < 4 else rng.choices(kinds, weights)[0]  # a few companies first, always
        province = rng.randrange(len(_PROVINCES))
        word = rng.randrange(len(_WORDS))
        tag = _code(i, "abcdefghijklmnopqrstuvwxyz")
        record: dict = {"id": f"{kind}_{i}", "type": kind}
        if kind == "person":
            surname = rng.randrange(len(_SURNAMES))
            record["name"] = f"{_SURNAMES[surname]} {tag.title()}"
            record["names"] = {"zh": _SURNAMES_ZH[surname] + _code(i, _GIVEN_ZH)}
        elif kind == "law":
            record["name"] = f"{_WORDS[word]} Regulation No. {i}"
            record["names"] = {"zh": f"{_WORDS_ZH[word]}管理条例第{i}号"}
        elif kind == "state_body":
            record["name"] = f"{_PROVINCES[province]} {_WORDS[word]} Administration {tag.upper()}"
            record["names"] = {"zh": f"{_PROVINCES_ZH[province]}{_WORDS_ZH[word]}管理局{_code(i, _GIVEN_ZH)}"}
            record["jurisdiction"] = "prc" if "prc" in jurisdictions else jurisdictions[0]
        else:
            suffix = {"company": "Co. Ltd.", "platform": "App", "partnership": "Partnership (LP)",
                      "organization": "Association", "financial_product": "Fund"}[kind]
            record["name"] = f"{_PROVINCES[province]} {_WORDS[word]} {tag.title()} {suffix}"
            record["names"] = {"zh": f"{_PROVINCES_ZH[province]}{_WORDS_ZH[word]}{_code(i, _GIVEN_ZH)}有限公司"}
            if rng.random() < 0.4:
                record["aliases"] = [f"{_WORDS[word]} {tag.title()}"]
                if rng.random() < 0.3:
                    record["aliases"].append(f"{tag.upper()} Group {i}")
            if kind in ("company", "partnership") and rng.random() < 0.8:
                record["jurisdiction"] = rng.choice(jurisdictions)
        if kind != "law" and rng.random() < 0.5:
            record["start"] = _date(rng, 1980, 2015)
            if rng.random() < 0.05:
                record["end"] = str(int(record["start"][:4]) + rng.randint(1, 8))
        if rng.random() < 0.2:
            record["description"] = f"A {kind.replace('_', ' ')} in the example ecosystem; entry {i}: \"synthetic\"."
        if kind in ("company", "platform") and rng.random() < 0.15:
            record["facts"] = [{"name": "employees" if kind == "company" else "users",
                                "value": rng.randint(10, 500_000), "unit": rng.choice(_UNITS),
                                "date": _date(rng, 2010, 2023), "sources": cite(1),
                                **({"approximate": True} if rng.random() < 0.5 else {})}]
        if rng.random() < 0.02:
            record["inferred"] = True
        record["sources"] = cite()
        add(record)
        yield "entities", record

    used: set[tuple[str, str, str]] = set()
    held_left: dict[str, float] = {}  # the equity still unallocated in each target
    holders = by_type.get("company", []) + by_type.get("person", []) + by_type.get("partnership", [])
    firms = by_type.get("company", []) + by_type.get("partnership", [])
    persons = by_type.get("person") or holders
    companies = by_type.get("company") or firms
    platforms = by_type.get("platform") or companies
    bodies = by_type.get("state_body") or companies
    laws = by_type.get("law")
    holder_of = _Ownership(rng, [i for i, kind in entities if kind in ("company", "partnership")], persons)
    relation_kinds = ["owns", "owns", "owns", "officer_of", "incorporated_in", "operates", "regulates",
                      "fined", "controls_by_contract", "partners_with", "competes_with", "invested_in"]
    counter = 0
    attempts = 0
    while counter < 3 * n and attempts < 30 * n:
        attempts += 1
        kind = rng.choice(relation_kinds)
        record: dict = {"type": kind}
        if kind == "owns":
            target = rng.choice(firms)
            source = holder_of(target)
            left = held_left.get(target, 100.0)
            if left < 1:
                continue
            style = rng.random()
            share = math.floor(rng.uniform(0.5, min(left, 60.0)) * 10) / 10
            if style < 0.6:
                record["equity"] = int(share) if share >= 1 and rng.random() < 0.5 else share
                used_share = float(record["equity"])
            elif style < 0.85:
                record["equity"] = f"~{share:g}"
                used_share = share
            else:
                low = max(0.0, round(share - rng.uniform(0, 5), 1))
                record["equity"] = {"min": low, "max": share}
                used_share = share
            held_left[target] = left - used_share
            if rng.random() < 0.1:
                record["votes"] = round(min(100.0, used_share + rng.uniform(0, 20)), 1)
        elif kind == "officer_of":
            source, target = rng.choice(persons), rng.choice(companies)
            record["role"] = rng.choice(_ROLES)
        elif kind == "incorporated_in":
            source, target = rng.choice(companies), rng.choice(jurisdictions)
        elif kind == "operates":
            source, target = rng.choice(companies), rng.choice(platforms)
        elif kind == "regulates":
            source, target = rng.choice(bodies), rng.choice(companies)
        elif kind == "fined":
            if not laws:
                continue
            source, target = rng.choice(bodies), rng.choice(companies)
            record["amount"] = {"value": round(rng.uniform(0.1, 999), 3), "unit": rng.choice(_MONEY_UNITS),
                                "currency": rng.choice(_CURRENCIES)}
            record["law"] = rng.choice(laws)
        elif kind == "controls_by_contract":
            target = rng.choice(companies)
            source = holder_of(target, companies_only=True)
            record["instruments"] = rng.sample(_INSTRUMENTS, rng.randint(1, 3))
        elif kind == "invested_in":
            source, target = rng.choice(holders), rng.choice(firms)
            record["amount"] = {"value": round(rng.uniform(1, 500), 2), "unit": "million", "currency": "USD"}
        else:  # partners_with, competes_with
            source, target = rng.choice(companies), rng.choice(companies)
        if source == target or (source, kind, target) in used:
            if kind == "owns":  # give the share back
                held_left[target] = held_left[target] + used_share
            continue
        used.add((source, kind, target))
        record["from"], record["to"] = source, target
        roll = rng.random()
        if roll < 0.5:
            record["start"] = _date(rng, 1995, 2018)
            if rng.random() < 0.2 and kind != "owns":
                record["end"] = str(int(record["start"][:4]) + rng.randint(1, 5))
        elif roll < 0.6:
            record["as_of"] = _date(rng, 2015, 2023)
        if rng.random() < 0.05:
            record["inferred"] = True
        if rng.random() < 0.1:
            record["note"] = f"Figure as reported; see entry {counter}: 'approximate'."
        record["sources"] = cite()
        head = {"id": f"rel_{counter}"} if rng.random() < 0.2 else {}
        head.update(type=kind, **{"from": source, "to": target})
        yield "relations", {**head, **record}
        counter += 1


# ---------------------------------------------------------------------------------------------
# writing


def _yaml_scalar(value, key: str = "") -> str:
    """A YAML scalar as a person would type it: ids and dates plain, text quoted when it must be."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if key in ("start", "end", "as_of", "date", "id", "from", "to", "type", "law", "jurisdiction",
                   "source", "kind", "unit", "currency"):
            return value  # dates, ids and codes unquoted, as in the bundled data
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(item, key) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml_scalar(v, k)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def _yaml_record(record: dict, block: bool) -> str:
    items = list(record.items())
    if not block:
        return "  - {" + ", ".join(f"{k}: {_yaml_scalar(v, k)}" for k, v in items) + "}\n"
    lines = []
    for index, (key, value) in enumerate(items):
        lead = "  - " if index == 0 else "    "
        if key == "facts":
            lines.append(f"{lead}facts:")
            for fact in value:
                lines.append("      - " + _yaml_scalar(fact, key))
        elif key == "sources" and len(value) > 1:
            lines.append(f"{lead}sources:")
            for citation in value:
                lines.append("      - " + _yaml_scalar(citation, key))
        else:
            lines.append(f"{lead}{key}: {_yaml_scalar(value, key)}")
    return "\n".join(lines) + "\n"


def _yaml_document(section: str, records: list[dict], block_every: int) -> str:
    parts = [f"# synthetic {section} ({len(records)} records)\n{section}:\n"]
    for index, record in enumerate(records):
        parts.append(_yaml_record(record, block=index % block_every == 0))
    return "".join(parts)


def _chunks(records: list, count: int) -> list[list]:
    size = -(-len(records) // count) if records else 0
    return [records[i * size:(i + 1) * size] for i in range(count)] if size else [[] for _ in range(count)]


def write_dataset(directory, n: int, fmt: str = "yaml", files: int = 1, seed: int = 0) -> Path:
    """Write ``make_records(n, seed)`` into ``directory``: sources + K entity files + K relation files.

    ``fmt="yaml"`` writes block-style entities and mostly flow-style relations (one per line), with
    unquoted dates (so PyYAML reads ``2014-09-19`` as a date, as it does in hand-written data);
    ``fmt="json"`` writes the same records as JSON documents, ``fmt="jsonl"`` as JSON lines (one
    record a line, with its ``record`` kind).
    """
    if fmt not in ("yaml", "json", "jsonl"):
        raise ValueError("fmt must be yaml, json or jsonl")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    records = make_records(n, seed)
    suffix = {"yaml": ".yaml", "json": ".json", "jsonl": ".jsonl"}[fmt]
    kinds = {"sources": "source", "entities": "entity", "relations": "relation"}

    def write(name: str, section: str, items: list[dict], block_every: int) -> None:
        if fmt == "yaml":
            text = _yaml_document(section, items, block_every)
        elif fmt == "jsonl":
            text = "".join(json.dumps({"record": kinds[section], **item}, ensure_ascii=False) + "\n" for item in items)
        else:
            text = json.dumps({section: items}, ensure_ascii=False, indent=1)
        (directory / f"{name}{suffix}").write_text(text, encoding="utf-8")

    write("sources", "sources", records["sources"], 1)
    width = len(str(files))
    for index, chunk in enumerate(_chunks(records["entities"], files)):
        write(f"entities_{index:0{width}d}" if files > 1 else "entities", "entities", chunk, 1)
    for index, chunk in enumerate(_chunks(records["relations"], files)):
        write(f"relations_{index:0{width}d}" if files > 1 else "relations", "relations", chunk, 5)
    return directory


def main(argv=None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--fmt", choices=("yaml", "json", "jsonl"), default="yaml")
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_dataset(args.directory, args.n, args.fmt, args.files, args.seed)


if __name__ == "__main__":
    main()
