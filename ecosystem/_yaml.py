"""YAML reading with PyYAML: libyaml's parser for the data, node marks only when a problem needs a line."""

from __future__ import annotations

import re

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


def parse(text: str):
    """Parse one YAML document with the fast safe loader (raises yaml.YAMLError)."""
    data = yaml.load(text, Loader=_FastLoader)
    if _ALIAS.search(text):
        check_expansion(data)
    return data


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
    """The node tree with marks, for locating problems (pure PyYAML, used only on error)."""
    return yaml.compose(text, Loader=yaml.SafeLoader)


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
