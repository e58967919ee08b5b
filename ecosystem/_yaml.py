"""YAML reading with PyYAML (libyaml's parser where built): duplicate keys noted, node marks only when a problem needs a line."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

try:  # libyaml's C parser where it is built; the pure-Python one otherwise
    _FastLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _FastLoader = yaml.SafeLoader

# An alias is "*name" after a space, "[", ",", ":" or "-" (or at the start of a line).
_ALIAS = re.compile(r"(?:^|[\s\[,:-])\*[^\s,\[\]{}]+", re.MULTILINE)
# How many nodes alias expansion may produce, against the nodes written out: bounded, not exploded.
MAX_EXPANSION = 1_000_000


class AliasBombError(ValueError):
    pass


@dataclass(frozen=True)
class DuplicateKey:
    """A key given twice in one mapping: PyYAML would keep the second value and drop the first."""

    key: object
    first_line: int
    second_line: int
    record_id: str | None  # the mapping's own `id`, when it has one
    top_level: bool  # a key of the document's top-level mapping (a section such as `entities:`)


_MERGE_TAG = "tag:yaml.org,2002:merge"


class DataLoader(_FastLoader):
    """PyYAML's safe loader that notes every key given twice in one mapping (with both lines) and
    reads a value PyYAML cannot construct (an impossible date such as 2021-02-29, an integer of
    more digits than Python converts) as its text, for validation to report with its line.

    The check costs one length comparison per mapping: a mapping shorter than its node's pairs
    lost a key (or took some from a ``<<`` merge, where an override is allowed); only then are
    its keys looked at.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []
        self._own_pairs: dict[int, int] = {}  # id(node) -> how many pairs are its own, after a merge
        self._root = None

    def construct_document(self, node):
        self._root = node
        return super().construct_document(node)

    def flatten_mapping(self, node):
        own = node.value
        super().flatten_mapping(node)
        if node.value is not own:  # merged: `own` (with the merge keys deleted) is the tail of node.value
            self._own_pairs[id(node)] = len(own)

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(node.value):
            self._note_duplicates(node, mapping)
        return mapping

    def _note_duplicates(self, node, mapping) -> None:
        own = self._own_pairs.get(id(node))
        pairs = node.value if own is None else node.value[len(node.value) - own:]
        first: dict = {}
        record_id = mapping.get("id")
        record_id = record_id if isinstance(record_id, str) else None
        for key_node, _ in pairs:
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in first:
                self.duplicates.append(DuplicateKey(key, first[key], line, record_id, node is self._root))
            else:
                first[key] = line

    def _lenient(constructor):
        def construct(self, node):
            try:
                return constructor(self, node)
            except (ValueError, OverflowError):
                return self.construct_scalar(node)

        return construct

    construct_yaml_timestamp = _lenient(_FastLoader.construct_yaml_timestamp)
    construct_yaml_int = _lenient(_FastLoader.construct_yaml_int)
    del _lenient


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", DataLoader.construct_yaml_timestamp)
DataLoader.add_constructor("tag:yaml.org,2002:int", DataLoader.construct_yaml_int)


def parse_noting_duplicates(text: str):
    """One YAML document's data and the keys given twice in it. Raises yaml.YAMLError, AliasBombError."""
    loader = DataLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    if _ALIAS.search(text):
        check_expansion(data)
    return data, loader.duplicates


def parse(text: str):
    """One YAML document's data, read as :func:`parse_noting_duplicates` reads it."""
    return parse_noting_duplicates(text)[0]


def check_expansion(data, limit: int = MAX_EXPANSION) -> None:
    """Refuse documents whose aliases would expand past ``limit`` nodes when traversed.

    The safe loader shares one object for every use of an alias, so loading is cheap, but
    anything that walks the result (validation, export) would pay for the full expansion.
    """
    sizes: dict[int, int] = {}

    def size(node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        sizes[key] = 1  # a cycle counts once; the recursion below terminates
        if isinstance(node, dict):
            total = 1 + sum(size(k) + size(v) for k, v in node.items())
        elif isinstance(node, list):
            total = 1 + sum(size(item) for item in node)
        else:
            total = 1
        sizes[key] = total
        if total > limit:
            raise AliasBombError(
                f"aliases expand to more than {limit:,} nodes; write the values out or use fewer nested aliases"
            )
        return total

    size(data)


def compose(text: str):
    """The node tree with marks, for locating problems (used only on error)."""
    return yaml.compose(text, Loader=_FastLoader)


def locate(root, path: tuple) -> int | None:
    """The 1-based line of the node at ``path`` (keys and list indices) in a composed tree.

    Walks as deep as the path goes and returns the line of the deepest node found.
    """
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == step:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        else:
            return line
    return line
