"""Entity and relation types, read from ``vocabulary.yaml``.

The one definition behind the CLI's wording, the legend and colours, the export attributes and
the BODS / FollowTheMoney mappings.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ControlKind = Literal[
    "none", "equity", "votes", "board", "general_partner", "contract", "contract_part",
    "statute", "stated", "nominee", "influence",
]
BundleRole = Literal["power", "option", "channel", "evidence"]
CATEGORY_NAMES = ("ownership", "control", "corporate", "financial", "regulatory", "political", "market")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Category(_Strict):
    label: str
    label_zh: str | None = None  # in Chinese (the page's 中文 mode); English where absent
    color: str
    line: Literal["solid", "dashed", "dotted"] = "solid"
    width: float = 1.0


class BodsEntityMapping(_Strict):
    record: Literal["entity", "person"]
    type: str
    subtype: str | None = None
    default: bool = False  # the type a BODS import gives a record of this entityType / personType


class EntityType(_Strict):
    id: str
    label: str
    label_zh: str | None = None
    plural: str
    color: str
    shape: str = "box"
    dot_shape: str = "box"
    bods: BodsEntityMapping | None = None
    ftm: str | None = None


class FtmMapping(_Strict):
    schema_: str = Field(alias="schema")
    from_: str = Field(alias="from")
    to: str


class RelationType(_Strict):
    id: str
    label: str
    label_zh: str | None = None  # short, for a line in a figure in Chinese
    inverse: str
    category: str
    directed: bool = True
    from_: tuple[str, ...] | Literal["*"] = Field(alias="from")
    to: tuple[str, ...] | Literal["*"]
    control: ControlKind = "none"
    bundle: BundleRole | None = None
    concert: bool = False
    economic: bool = False
    standing: bool = False
    shares: bool = False
    bods: tuple[str, ...] = ()
    bods_default: bool = False  # the type a BODS import gives these interests when their details name no other
    ftm: FtmMapping | None = None

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _listify(cls, value):
        return value if value == "*" else tuple(value)

    def allows_from(self, entity_type: str) -> bool:
        return self.from_ == "*" or entity_type in self.from_

    def allows_to(self, entity_type: str) -> bool:
        return self.to == "*" or entity_type in self.to


class Vocabulary(_Strict):
    categories: dict[str, Category]
    entity_types: dict[str, EntityType]
    relation_types: dict[str, RelationType]

    @classmethod
    def from_mapping(cls, data: dict) -> "Vocabulary":
        """Build from the parsed YAML; keys starting with ``_`` hold YAML anchors and are skipped."""
        data = {key: value for key, value in data.items() if not str(key).startswith("_")}
        for section in ("entity_types", "relation_types"):
            items = data.get(section) or {}
            data[section] = {key: {"id": key, **(value or {})} for key, value in items.items()}
        return cls.model_validate(data)

    def entity_type(self, type_id: str) -> EntityType:
        return self.entity_types[type_id]

    def relation_type(self, type_id: str) -> RelationType:
        return self.relation_types[type_id]

    def category_of(self, relation_type: str) -> Category:
        return self.categories[self.relation_types[relation_type].category]

    def check(self) -> list[str]:
        """Internal consistency: categories and endpoint types that exist."""
        messages = []
        for relation in self.relation_types.values():
            if relation.category not in self.categories:
                messages.append(f"relation type {relation.id!r} names unknown category {relation.category!r}")
            for end in (relation.from_, relation.to):
                if end == "*":
                    continue
                for entity_type in end:
                    if entity_type not in self.entity_types:
                        messages.append(
                            f"relation type {relation.id!r} names unknown entity type {entity_type!r}"
                        )
        claimed: dict[str, str] = {}
        for relation in self.relation_types.values():
            for interest in relation.bods if relation.bods_default else ():
                if interest in claimed:
                    messages.append(f"BODS interest {interest!r} is the bods_default of both {claimed[interest]!r} "
                                    f"and {relation.id!r}; keep one")
                claimed.setdefault(interest, relation.id)
        defaults: dict[tuple, str] = {}
        for entity in self.entity_types.values():
            if entity.bods is not None and entity.bods.default:
                kind = (entity.bods.record, entity.bods.type)
                if kind in defaults:
                    messages.append(f"BODS {kind[0]} type {kind[1]!r} is the default of both {defaults[kind]!r} "
                                    f"and {entity.id!r}; keep one")
                defaults.setdefault(kind, entity.id)
        return messages


def bundled_vocabulary() -> Vocabulary:
    """The vocabulary shipped with the package (for graphs built by hand, without one)."""
    global _BUNDLED
    if _BUNDLED is None:
        import yaml

        from .loader import bundled_data_dir

        with open(bundled_data_dir() / "vocabulary.yaml", encoding="utf-8") as handle:
            _BUNDLED = Vocabulary.from_mapping(yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
    return _BUNDLED


_BUNDLED: Vocabulary | None = None
