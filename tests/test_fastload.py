"""The fast first load (ecosystem/_fastload.py) gives exactly what the reader gives, or declines.

* plainly valid data: the same Dataset (records, order, locations), in one process or two, cut
  into many pieces or few, whatever the layout of the YAML;
* anything wrong, in one piece or across pieces (a duplicate id, an unknown reference, a forbidden
  endpoint, a shared name, equity past 100%, ...): the fast load declines (returns None), so the
  problems reported are the reader's;
* a cut that would fall inside a quoted scalar, an unusual layout, a failed second process: the
  same result or a decline, never a different dataset.
"""

from __future__ import annotations

import json
import marshal
import re
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem import _fastload, _yaml, loader

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import write_dataset  # noqa: E402

pytestmark = pytest.mark.skipif(not _yaml.fast_available(), reason="needs yaml-rs (the `fast` extra)")


def _plain(dataset) -> str:
    return json.dumps([dataset.sources, dataset.entities, dataset.relations, dict(dataset.locations),
                       dataset.views], ensure_ascii=False, default=str)


def _inputs(path: Path):
    files = loader._record_files(path)
    vocabulary = loader._vocabulary_file(path)
    views = next((path / name for name in ("views.yaml",) if (path / name).is_file()), None)
    contents = {file: file.read_bytes() for file in [vocabulary] + ([views] if views else []) + files}
    return contents, vocabulary, views, files


def _fast(path: Path):
    """The fast load's dataset, or None when it declines."""
    contents, vocabulary, views, files = _inputs(path)
    found = _fastload.load(path, contents, vocabulary, views, files)
    return None if found is None else found[0]


def _reader(path: Path):
    """What the reader alone gives: the dataset, or the problems."""
    contents, vocabulary, views, files = _inputs(path)
    try:
        return loader._read(path, contents, vocabulary, views, files)
    except loader.DataError as error:
        return error.problems


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a few records each, and a second process for any size."""
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 1_500)
    monkeypatch.setattr(_fastload, "PARALLEL_MIN_BYTES", 0)


@pytest.fixture
def workers(monkeypatch):
    """Counts the second processes started."""
    started = []
    original = _fastload._Worker.__init__

    def spy(self, work):
        started.append(1)
        original(self, work)

    monkeypatch.setattr(_fastload._Worker, "__init__", spy)
    return started


def _assert_same(path: Path) -> None:
    fast, slow = _fast(path), _reader(path)
    assert fast is not None, "the fast load declined plainly valid data"
    assert not isinstance(slow, list), slow
    assert _plain(fast) == _plain(slow)


# --- plainly valid data ----------------------------------------------------------------------------


def test_valid_fixtures_and_synthetic_data_load_as_the_reader_reads_them(tmp_path):
    _assert_same(FIXTURES / "valid")
    write_dataset(tmp_path / "one", 300, fmt="yaml")
    _assert_same(tmp_path / "one")
    write_dataset(tmp_path / "three", 300, fmt="yaml", files=3)
    _assert_same(tmp_path / "three")


@pytest.mark.skipif(loader._cpu_count() < 2, reason="one core: no second process")
def test_many_pieces_in_two_processes_give_the_same_dataset(tmp_path, small_pieces, workers, monkeypatch):
    write_dataset(tmp_path / "data", 400, fmt="yaml", files=2)
    contents, vocabulary, views, files = _inputs(tmp_path / "data")
    jobs = [job for index, file in enumerate(files) for job in _fastload._pieces(index, contents[file])]
    assert len(jobs) > 20  # cut into many pieces
    together = _fast(tmp_path / "data")
    assert workers  # a second process read some of them
    monkeypatch.setattr(_fastload, "parallel", False)
    workers.clear()
    alone = _fast(tmp_path / "data")
    assert not workers
    assert together is not None and _plain(together) == _plain(alone) == _plain(_reader(tmp_path / "data"))


@pytest.mark.parametrize("batches_done", [0, 1])
def test_a_failed_second_process_leaves_its_pieces_to_this_one(tmp_path, small_pieces, monkeypatch, batches_done):
    write_dataset(tmp_path / "data", 200, fmt="yaml")
    original = _fastload._work

    def failing(batches, *rest):  # hands over some batches, then dies
        original(batches[:batches_done], *rest)
        raise MemoryError

    monkeypatch.setattr(_fastload, "_work", failing)
    _assert_same(tmp_path / "data")
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    dataset = loader.load(tmp_path / "data")
    (entry,) = (tmp_path / "cache").iterdir()  # the cache entry holds its header and records, nothing else
    header = marshal.loads((entry / "header").read_bytes())
    assert sorted(path.name for path in entry.iterdir()) == sorted(["header", *header["parts"]])
    assert _plain(loader.load(tmp_path / "data")) == _plain(dataset)


def test_the_cache_keeps_what_the_fast_load_read(tmp_path, small_pieces, monkeypatch):
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    write_dataset(tmp_path / "data", 300, fmt="yaml", files=2)
    first = loader.load(tmp_path / "data")
    assert isinstance(first.locations, loader.Locations)  # built by the fast load
    assert len(list((tmp_path / "cache").iterdir())) == 1
    again = loader.load(tmp_path / "data")
    assert _plain(again) == _plain(first) == _plain(_reader(tmp_path / "data"))


LAYOUTS = {
    "items at column 0": lambda text: text.replace("\n  - ", "\n- ").replace("\n    ", "\n  ").replace("\n      ", "\n    "),
    "comments between items": lambda text: text.replace("\n  - ", "\n  # a comment\n\n  - "),
    "windows line ends": lambda text: text.replace("\n", "\r\n"),
    "a byte-order mark": lambda text: "\ufeff" + text,
    "an empty section after": lambda text: text + "sources:\n",
    "a flow sequence": lambda text: text.split("\n", 1)[0] + "\n" + _as_flow(text),
    "a document start": lambda text: "---\n" + text,
}


def _as_flow(text: str) -> str:
    section = "entities" if "\nentities:" in text else "relations"
    items = text.split(f"\n{section}:\n", 1)[1]
    return f"{section}: [\n" + ",\n".join("  " + line[4:] for line in items.splitlines() if line.startswith("  - {")) + "\n]\n"


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_loads_as_the_reader_reads_it(tmp_path, small_pieces, layout):
    write_dataset(tmp_path / "data", 120, fmt="yaml")
    for file in (tmp_path / "data").glob("relations*.yaml"):
        text = file.read_text(encoding="utf-8")
        if layout == "a flow sequence":  # flow items only (block ones would not fit in [ ])
            text = text.split("\nrelations:\n")[0] + "\nrelations:\n" + "".join(
                line + "\n" for line in text.splitlines() if line.startswith("  - {"))
        file.write_bytes(LAYOUTS[layout](text).encode("utf-8"))
    fast, slow = _fast(tmp_path / "data"), _reader(tmp_path / "data")
    assert fast is None or _plain(fast) == _plain(slow)
    if layout != "a document start":  # `---` is left to the reader; the others are read fast
        assert fast is not None


def test_a_cut_inside_a_quoted_scalar_is_declined(tmp_path, monkeypatch):
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 10)  # a cut before every item line
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    text = ('relations:\n- type: partners_with\n  from: holdco\n  to: investor\n'
            '  note: "one line\n- and what looks like an item"\n  sources: [case]\n')
    (data / "more.yaml").write_text(text, encoding="utf-8")
    pieces = _fastload._pieces(0, text.encode())
    assert text.index("- and") in [start for _, _, start, _, _, _ in pieces]  # a cut inside the quotes
    assert _fast(data) is None
    slow = _reader(data)
    if isinstance(slow, list):
        with pytest.raises(loader.DataError) as raised:
            loader.load(data, use_cache=False)
        assert raised.value.problems == slow
    else:
        assert _plain(loader.load(data, use_cache=False)) == _plain(slow)


def test_stakes_past_100_at_one_date_are_found_across_pieces_whatever_each_piece_sums(tmp_path, monkeypatch):
    """A piece whose own stakes in a company pass 100% over all dates but never at one date, and a
    stake in another piece that overlaps one of them: the dataset has a problem."""
    lines = ["  - {type: owns, from: investor, to: target_co, equity: 60, start: 2000, end: 2005, sources: [case]}\n",
             "  - {type: owns, from: citizen_a, to: target_co, equity: 60, start: 2006, end: 2010, sources: [case]}\n",
             "  - {type: owns, from: citizen_b, to: target_co, equity: 50, start: 2003, end: 2008, sources: [case]}\n"]
    text = ("entities:\n  - {id: target_co, name: Target Co, type: company, sources: [case]}\n"
            "relations:\n" + "".join(lines))
    monkeypatch.setattr(_fastload, "PIECE_BYTES", len(lines[0]) + 5)  # the first two stakes in one piece
    pieces = [job for job in _fastload._pieces(0, text.encode()) if job[1] == "relations"]
    assert [text.encode()[start:end].count(b"\n  - ") + 1 for _, _, start, end, _, _ in pieces] == [2, 1]
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    (data / "more.yaml").write_text(text, encoding="utf-8")
    problems = _reader(data)
    assert isinstance(problems, list) and any("sums to 110%" in problem.message for problem in problems)
    assert _fast(data) is None


# --- anything wrong: declined, the reader reports -------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "invalid").iterdir()))
def test_every_invalid_fixture_is_declined(name, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    shutil.copy(FIXTURES / "invalid" / name, folder / name)
    assert isinstance(_reader(folder), list)  # the fixture has a problem
    assert _fast(folder) is None
    with pytest.raises(loader.DataError) as raised:
        loader.load(folder, use_cache=False)
    assert raised.value.problems == _reader(folder)


def _entity_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("  - id: ")]


# Each damage touches two records far apart in the files (the first and the last piece, and so
# different processes), each record well formed on its own: what only the whole dataset shows
# must still be seen.
DAMAGE = {
    "an entity id used twice": ("entities", lambda t: _append(t, f"  - {{id: {_first(t, 'company')}, name: Zed Co, "
                                                                 f"type: company, sources: [{_first(t, 'src')}]}}\n")),
    "a name used by two entities": ("entities", lambda t: _append(t, "  - {id: zed, name: \"People's Republic of "
                                                                     f"China\", type: company, sources: [{_first(t, 'src')}]}}\n")),
    "a relation to an unknown entity": ("relations", lambda t: _replace_last(t, "to: company_", "to: compnay_")),
    "a forbidden endpoint type": ("relations", lambda t: _sub_last(
        t, r"\{type: officer_of, from: person_[0-9]+", f"{{type: officer_of, from: {_first(t, 'company')}")),
    "an unknown source": ("relations", lambda t: _replace_last(t, '["src_', '["srcx_')),
    "an unknown jurisdiction": ("entities", lambda t: _replace_last(t, "jurisdiction: ", "jurisdiction: atlantis_")),
    "a relation id given twice": ("relations", lambda t: _replace_last(t, "{type: ", f"{{id: {_first(t, 'rel')}, type: ")),
    "a derived relation id twice": ("relations", lambda t: _append(t, _first_line(t, "  - {type: competes_with"))),
    "equity past 100%": ("relations", lambda t: _append(_prepend(t, _stake(t, 0)), _stake(t, 1))),
    "a record the fast check declines": ("relations", lambda t: _replace_last(t, "  - {type: ", "  - {typo: x, type: ")),
    "a YAML 1.1 word": ("relations", lambda t: _replace_last(t, "inferred: true", "inferred: yes")),
}


def _stake(text: str, which: int) -> str:
    owner, target = re.findall(r"from: (company_[0-9]+)", text)[which], re.findall(r"to: (company_[0-9]+)", text)[0]
    return f"  - {{type: owns, from: {owner}, to: {target}, equity: 60, sources: [{_first(text, 'src')}]}}\n"


def _first_line(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start)) + "\n"


def _append(text: str, record: str) -> str:
    return text + record


def _prepend(text: str, record: str) -> str:
    head, key, tail = text.partition(":\n")
    return head + key + record + tail


def _first(text: str, prefix: str) -> str:
    """The first id in the text that starts with ``prefix``."""
    return re.search(prefix + r"_[0-9]+", text).group(0)


def _sub_last(text: str, pattern: str, new: str) -> str:
    *_, last = re.finditer(pattern, text)
    return text[:last.start()] + new + text[last.end():]


def _replace_last(text: str, old: str, new: str) -> str:
    head, found, tail = text.rpartition(old)
    return head + new + tail if found else text


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_problems_across_pieces_are_declined_and_reported_by_the_reader(tmp_path, small_pieces, damage):
    write_dataset(tmp_path / "data", 300, fmt="yaml")
    section, change = DAMAGE[damage]
    file = tmp_path / "data" / f"{section}.yaml"
    text = file.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, "the damage did not apply"
    file.write_text(changed, encoding="utf-8")
    slow = _reader(tmp_path / "data")
    fast = _fast(tmp_path / "data")
    if isinstance(slow, list):
        assert fast is None
    else:  # a change the data allows (a clash the reader resolves): the same dataset, or declined
        assert fast is None or _plain(fast) == _plain(slow)
    if damage == "a YAML 1.1 word":  # valid (`yes` is true in YAML 1.1), but not for the fast parser
        assert fast is None and not isinstance(slow, list)
    else:
        assert isinstance(slow, list), "the damage made no problem"


# --- random records and cuts -----------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(5, 120), seed=st.integers(0, 10_000), piece=st.integers(40, 5_000), files=st.integers(1, 3))
def test_random_datasets_cut_anywhere_load_as_the_reader_reads_them(tmp_path_factory, monkeypatch, n, seed, piece, files):
    monkeypatch.setattr(_fastload, "PIECE_BYTES", piece)
    monkeypatch.setattr(_fastload, "parallel", False)  # forks are tested above; keep this quick
    path = write_dataset(tmp_path_factory.mktemp("random") / "data", n, fmt="yaml", files=files, seed=seed)
    fast, slow = _fast(path), _reader(path)
    if isinstance(slow, list):  # tiny synthetic datasets are not always valid: then declined
        assert fast is None
    else:
        assert fast is not None and _plain(fast) == _plain(slow)


# --- the cache entry's folder ------------------------------------------------------------------------


def _cache_folder_names(cache: Path) -> list[str]:
    return sorted(path.name for path in cache.iterdir())


@pytest.mark.parametrize("where", ["first piece", "last piece"])
def test_a_decline_leaves_the_cache_entry_holding_only_what_the_reader_wrote(tmp_path, small_pieces, monkeypatch, where):
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    write_dataset(tmp_path / "data", 300, fmt="yaml")
    file = tmp_path / "data" / ("entities.yaml" if where == "first piece" else "relations.yaml")
    text = file.read_text(encoding="utf-8")
    # valid for the reader (YAML 1.1 reads `yes` as true), but the fast load declines it
    file.write_text(text.replace("inferred: true", "inferred: yes", 1) if where == "last piece"
                    else text.replace('name: "', 'aliases: [yes]\n    name: "', 1), encoding="utf-8")
    dataset = loader.load(tmp_path / "data")
    assert _fast(tmp_path / "data") is None and not isinstance(_reader(tmp_path / "data"), list)
    (entry,) = [path for path in (tmp_path / "cache").iterdir()]
    assert _cache_folder_names(entry) == ["header", "records"]  # nothing the fast load left behind
    assert _plain(loader.load(tmp_path / "data")) == _plain(dataset)


def test_a_load_with_problems_leaves_no_cache_folder(tmp_path, small_pieces, monkeypatch):
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    write_dataset(tmp_path / "data", 300, fmt="yaml")
    file = tmp_path / "data" / "relations.yaml"
    file.write_text(_replace_last(file.read_text(encoding="utf-8"), "to: company_", "to: compnay_"), encoding="utf-8")
    with pytest.raises(loader.DataError):
        loader.load(tmp_path / "data")
    assert not (tmp_path / "cache").exists() or _cache_folder_names(tmp_path / "cache") == []


# --- JSON ----------------------------------------------------------------------------------------


def test_json_and_mixed_datasets_load_as_the_reader_reads_them(tmp_path, small_pieces):
    write_dataset(tmp_path / "json", 300, fmt="json", files=2)
    _assert_same(tmp_path / "json")
    write_dataset(tmp_path / "lines", 300, fmt="jsonl", files=2)
    _assert_same(tmp_path / "lines")
    shuffled = tmp_path / "lines" / "relations_0.jsonl"  # records of every kind in one file, blank lines
    lines = shuffled.read_text(encoding="utf-8").splitlines()
    extra = (tmp_path / "lines" / "entities_1.jsonl").read_text(encoding="utf-8").splitlines()
    shuffled.write_text("\n\n".join(line for pair in zip(lines, extra) for line in pair) + "\n" + "\n".join(lines[len(extra):]),
                        encoding="utf-8")
    (tmp_path / "lines" / "entities_1.jsonl").unlink()
    _assert_same(tmp_path / "lines")
    write_dataset(tmp_path / "mixed", 300, fmt="yaml", files=2)
    for file in (tmp_path / "json").glob("relations*.json"):
        (tmp_path / "mixed" / file.name.replace("relations", "more_relations")).write_bytes(file.read_bytes())
    for file in (tmp_path / "mixed").glob("relations*.yaml"):
        file.unlink()
    _assert_same(tmp_path / "mixed")


@pytest.mark.parametrize("lines_change", [
    ('"record": "relation"', '"record": ["relation"]'),   # not a kind
    ('"record": "relation", ', ""),                        # no kind
    ('"to": "company_', '"to": "compnay_'),                # an unknown entity
    ("5.4", "NaN"),                                        # json.loads reads NaN, orjson does not
    ('"src_', '"\u2028src_'),                             # a line separator str.splitlines splits at
])
def test_json_lines_with_problems_or_doubts_are_declined(tmp_path, small_pieces, lines_change):
    write_dataset(tmp_path / "data", 200, fmt="jsonl")
    file = tmp_path / "data" / "relations.jsonl"
    text = file.read_text(encoding="utf-8")
    old, new = lines_change
    assert old in text
    file.write_text(_replace_last(text, old, new), encoding="utf-8")
    fast, slow = _fast(tmp_path / "data"), _reader(tmp_path / "data")
    assert fast is None  # declined: what load gives is the reader's
    if isinstance(slow, list):
        with pytest.raises(loader.DataError) as raised:
            loader.load(tmp_path / "data", use_cache=False)
        assert raised.value.problems == slow
    else:
        assert _plain(loader.load(tmp_path / "data", use_cache=False)) == _plain(slow)


@pytest.mark.parametrize("change", [
    ("5.4", "NaN"),                      # json.loads reads NaN, orjson does not: declined, the reader decides
    ('"type": "owns"', '"type": "owns", "type": "owns"'),  # a key twice: the last one counts for both
    ('"src_', '"\\ud800src_'),           # a lone surrogate
])
def test_json_that_parsers_could_read_differently_is_declined_or_read_alike(tmp_path, change):
    write_dataset(tmp_path / "data", 200, fmt="json")
    file = tmp_path / "data" / "relations.json"
    text = file.read_text(encoding="utf-8")
    assert change[0] in text
    file.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    fast, slow = _fast(tmp_path / "data"), _reader(tmp_path / "data")
    if isinstance(slow, list):
        assert fast is None
    else:
        assert fast is None or _plain(fast) == _plain(slow)


# --- any text: never a dataset other than the reader's ---------------------------------------------

def _assert_same_or_declined(tmp_path_factory, monkeypatch, name: str, text: str, piece: int) -> None:
    """The valid fixtures plus a file ``name`` holding ``text``, cut at ``piece`` bytes: the fast load
    gives the reader's dataset, or declines."""
    monkeypatch.setattr(_fastload, "PIECE_BYTES", piece)
    monkeypatch.setattr(_fastload, "parallel", False)
    data = tmp_path_factory.mktemp("any") / "data"
    shutil.copytree(FIXTURES / "valid", data)
    (data / name).write_text(text, encoding="utf-8")
    fast = _fast(data)
    if fast is not None:
        slow = _reader(data)
        assert not isinstance(slow, list), slow
        assert _plain(fast) == _plain(slow)


FRAGMENTS = [
    "relations:\n", "entities:\n", "sources:\n", "- ", "  - ", "    ", "\n", "\r\n", "\t", "# note\n", " # c", "---\n",
    "note: \"a\n", "note: 'b\n", '"', "'", "[", "]", "{", "}", ",", ": ", "yes", "017", "x: 1\n",
]
ENDS = ["holdco", "investor", "wfoe", "vie", "shop", "citizen_a"]


@st.composite
def record_files(draw):
    """A record file: sections of flow or block records at one indentation, perhaps with a fragment
    of anything put in anywhere."""
    lines = []
    for section in draw(st.lists(st.sampled_from(["relations", "entities"]), max_size=2, unique=True)):
        indent = draw(st.sampled_from(["", "  "]))
        lines.append(f"{section}:\n")
        for number in range(draw(st.integers(0, 8))):
            if section == "entities":
                fields = [("id", f"extra_{number}"), ("name", f"Extra {number}"), ("type", "company"), ("sources", "[case]")]
            else:
                one, two = draw(st.sampled_from([(a, b) for a in ENDS for b in ENDS if a != b]))
                fields = [("id", f"link_{number}"), ("type", "partners_with"), ("from", one), ("to", two),
                          ("note", draw(st.sampled_from(["plain words", '"quoted: with - dash"', "'single'"]))),
                          ("sources", "[filing]")]
            if draw(st.booleans()):
                lines.append(f"{indent}- {{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}\n")
            else:
                lines.append(f"{indent}- " + f"\n{indent}  ".join(f"{key}: {value}" for key, value in fields) + "\n")
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["\n", f"{indent}# between\n", "  # indented comment\n"])))
    text = "".join(lines)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(FRAGMENTS)) + text[at:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record_files(), st.integers(1, 400))
def test_whatever_the_text_the_fast_load_gives_the_readers_dataset_or_declines(tmp_path_factory, monkeypatch, text, piece):
    _assert_same_or_declined(tmp_path_factory, monkeypatch, "more.yaml", text, piece)


def test_a_folder_that_cannot_be_written_leaves_the_load_to_the_reader(tmp_path, small_pieces, monkeypatch):
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    write_dataset(tmp_path / "data", 200, fmt="yaml")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_fastload, "_write", disk_full)
    assert _plain(loader.load(tmp_path / "data")) == _plain(_reader(tmp_path / "data"))


def test_two_loads_of_the_same_data_at_once_in_one_process(tmp_path, small_pieces, monkeypatch):
    import threading

    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path / "cache"))
    write_dataset(tmp_path / "data", 300, fmt="yaml")
    found, failed = [], []

    def load():
        try:
            found.append(_plain(loader.load(tmp_path / "data")))
        except Exception as error:  # noqa: BLE001 - reported below
            failed.append(error)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed and len(found) == 3 and len(set(found)) == 1
    assert [path.name for path in (tmp_path / "cache").iterdir() if path.name.endswith(".tmp")] == []


JSON_FRAGMENTS = [",", ",,", "]", "[", "{", "}", "\n", "\r\n", '"', " ", "\t", "\x0c", ': "x"', '"relations": [', "null", "1e999"]


@st.composite
def json_record_files(draw):
    """A JSON record file written by json.dumps with some indentation, perhaps with a fragment of
    anything put in anywhere or a character taken out."""
    document = {}
    for section in draw(st.lists(st.sampled_from(["relations", "entities"]), max_size=2, unique=True)):
        records = []
        for number in range(draw(st.integers(0, 8))):
            if section == "entities":
                records.append({"id": f"extra_{number}", "name": f"Extra {number}", "type": "company", "sources": ["case"],
                                **({"names": {"zh": "额外"}} if draw(st.booleans()) else {})})
            else:
                one, two = draw(st.sampled_from([(a, b) for a in ENDS for b in ENDS if a != b]))
                records.append({"id": f"link_{number}", "type": "partners_with", "from": one, "to": two,
                                "sources": [{"source": "filing", "locator": "p 1"}] if draw(st.booleans()) else ["filing"]})
        document[section] = records
    text = json.dumps(document, ensure_ascii=False, indent=draw(st.integers(1, 3)))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(JSON_FRAGMENTS)) + text[at:]
        else:
            text = text[:at] + text[at + 1:]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_record_files(), st.integers(1, 400))
def test_whatever_the_json_the_fast_load_gives_the_readers_dataset_or_declines(tmp_path_factory, monkeypatch, text, piece):
    _assert_same_or_declined(tmp_path_factory, monkeypatch, "more.json", text, piece)


GOOD_JSON = '{\n "entities": [\n  {\n   "id": "extra_0",\n   "name": "Extra 0",\n   "type": "company",\n   "sources": [\n    "case"\n   ]\n  },\n  {\n   "id": "extra_1",\n   "name": "Extra 1",\n   "type": "company",\n   "sources": [\n    "case"\n   ]\n  }\n ]\n}'


@pytest.mark.parametrize("damage", [
    ('  {\n   "id": "extra_0"', '  : "x"{\n   "id": "extra_0"'),   # text before the first record, on no record line
    ('  {\n   "id": "extra_0"', '  : "x"{\n   "id": "extra_0"', "only the first record"),  # and no record line at all
    ("  }\n ]", "  },\n ]"),                                        # a comma after the last record
    ("  },\n  {", "  },,\n  {"),                                     # two commas between records
    ("  },\n  {", "  }\n  {"),                                       # no comma between records
    ('"extra_1"', '"extra_1", "id": "extra_0"'),                     # a key twice in a record: the last counts
    (' "entities": [', ' "entities": [\n  {"id": "a"}\n ],\n "entities": ['),  # a list twice
    ("\n}", ',\n "x": 1\n}'),                                       # another key
])
def test_damaged_json_record_lists_are_declined_or_read_alike(tmp_path, damage, monkeypatch):
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 10)  # a piece a record
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    text = GOOD_JSON if len(damage) == 2 else GOOD_JSON[:GOOD_JSON.index(",\n  {")] + "\n ]\n}"
    assert damage[0] in text
    (data / "more.json").write_text(text.replace(damage[0], damage[1], 1), encoding="utf-8")
    fast, slow = _fast(data), _reader(data)
    if isinstance(slow, list):
        assert fast is None
    else:
        assert fast is None or _plain(fast) == _plain(slow)


def test_a_plain_json_record_list_is_cut_into_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(_fastload, "PIECE_BYTES", 10)
    jobs = _fastload._json_pieces(0, GOOD_JSON.encode())
    assert [(section, marker[2]) for _, section, _, _, marker, _ in jobs] == [("entities", False), ("entities", True)]
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", data)
    (data / "more.json").write_text(GOOD_JSON, encoding="utf-8")
    _assert_same(data)
