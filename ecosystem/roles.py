"""Structural roles: what part an entity plays in a corporate structure, computed from the data
and the vocabulary (never typed in by hand), and shown on figures as a tag under its name.

The roles, in the order a tag lists them:

* ``VIE`` — held through a contract-control relation (vocabulary ``control: contract``,
  ``controls_by_contract``): the onshore company a foreign-owned company controls by contracts;
* ``licence holder`` — holds a licence (``holds_licence``) or is licensed by a state body
  (``licenses``);
* ``WFOE`` — an onshore company that controls another by contracts and is owned from offshore:
  the wholly foreign-owned enterprise of a VIE structure;
* ``offshore listed holding company`` — listed on an exchange, incorporated outside the onshore
  jurisdiction, and holding shares in other companies;
* ``offshore intermediate`` — outside the onshore jurisdiction, owned by a company and holding
  shares in another: the layers between the listed company and the WFOEs;
* ``nominee shareholder`` — holds equity whose votes it does not carry (``votes: 0``, or a
  ``holds_as_nominee`` relation, vocabulary ``control: nominee``): the votes go to another by proxy;
* ``regulator`` — a state body that regulates, licenses, fines or investigates (a relation of the
  ``regulatory`` category from it).

*Onshore* is the jurisdiction of the VIEs (where the licences are restricted); everything with
another jurisdiction is *offshore*. A dataset without VIEs has no onshore jurisdiction, and so no
offshore roles. :func:`structural_roles` takes a graph (a snapshot for a date) and returns
``{entity id: [role, ...]}`` for the entities that have one; given ``shown`` (the entities of a
figure), it keeps only the roles that figure shows evidence of (Jack Ma is a VIE's nominee
shareholder in the VIE figure, not in the figure of who controls Ant).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .graph import share

ROLE_ORDER = ("VIE", "licence holder", "WFOE", "offshore listed holding company", "offshore intermediate",
              "nominee shareholder", "regulator")
# the roles in Chinese, for the page's 中文 labels and ``--lang zh`` figures
ROLE_ZH = {
    "VIE": "VIE（可变利益实体）", "licence holder": "持牌主体", "WFOE": "外商独资企业（WFOE）",
    "offshore listed holding company": "境外上市控股公司", "offshore intermediate": "境外中间控股公司",
    "nominee shareholder": "名义股东", "regulator": "监管机构",
}
COMPANY_TYPES = ("company", "partnership")


def _kinds(graph, control: str) -> set[str]:
    vocabulary = graph.graph.get("vocabulary")
    if vocabulary is None:
        return set()
    return {name for name, definition in vocabulary.relation_types.items() if definition.control == control}


def onshore_jurisdictions(graph: nx.MultiDiGraph) -> set[str]:
    """The jurisdictions of the companies controlled by contract (the VIEs)."""
    contract = _kinds(graph, "contract")
    return {graph.nodes[v].get("jurisdiction") for _, v, d in graph.edges(data=True)
            if d["type"] in contract and graph.nodes[v].get("jurisdiction")}


def structural_roles(graph: nx.MultiDiGraph, shown=None) -> dict[str, list[str]]:
    """``{entity id: roles}`` (in :data:`ROLE_ORDER`) for every entity of ``graph`` that has a role;
    with ``shown``, only the entities in it, each with the roles whose evidence it also holds."""
    contract, nominee = _kinds(graph, "contract"), _kinds(graph, "nominee")
    equity = _kinds(graph, "equity")
    onshore = onshore_jurisdictions(graph)
    roles: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))  # node -> role -> evidence

    def where(node):
        return graph.nodes[node].get("jurisdiction")

    def offshore(node):
        return bool(onshore) and where(node) is not None and where(node) not in onshore

    def is_company(node):
        return graph.nodes[node]["type"] in COMPANY_TYPES

    owners = defaultdict(set)  # held -> holders by equity
    holdings = defaultdict(set)
    for u, v, data in graph.edges(data=True):
        kind = data["type"]
        if kind in contract:
            roles[v]["VIE"].add(u)
        if kind == "holds_licence":
            roles[u]["licence holder"].add(v)
        if kind == "licenses" and is_company(v):
            roles[v]["licence holder"].add(u)
        if kind in nominee:
            roles[u]["nominee shareholder"].add(v)
        if kind in equity:
            owners[v].add(u)
            holdings[u].add(v)
            votes = share(data.get("votes"))
            if votes is not None and _is_zero(data.get("votes")) and not _is_zero(data.get("equity")):
                roles[u]["nominee shareholder"].add(v)
        if data.get("category") == "regulatory" and graph.nodes[u]["type"] == "state_body":
            roles[u]["regulator"].add(v)
    listed = {u for u, _, d in graph.edges(data=True) if d["type"] == "listed_on"}
    for u, v, data in graph.edges(data=True):
        if data["type"] in contract and is_company(u) and where(u) in onshore \
                and any(offshore(owner) for owner in owners[u]):
            roles[u]["WFOE"].add(v)
    for node in graph:
        if not is_company(node) or not offshore(node):
            continue
        held_companies = [v for v in holdings[node] if is_company(v)]
        if node in listed and held_companies:
            roles[node]["offshore listed holding company"].update(held_companies)
        elif held_companies and any(is_company(owner) for owner in owners[node]):
            roles[node]["offshore intermediate"].update(held_companies)
    keep = None if shown is None else set(shown)
    result = {}
    for node, found in sorted(roles.items()):
        if keep is not None and node not in keep:
            continue
        listed_roles = [role for role in ROLE_ORDER if role in found and (keep is None or found[role] & keep)]
        if listed_roles:
            result[node] = listed_roles
    return result


def _is_zero(value) -> bool:
    """A share recorded as exactly 0 (``votes: 0`` or ``{value: 0}``)."""
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, dict):
        if "value" in value:
            return value["value"] == 0
        return value.get("max") == 0
    return str(value).strip() in ("0", "0%")


def role_tag(roles: list[str], language: str = "en") -> str:
    """The tag drawn under a name: ``WFOE``, ``VIE · licence holder``."""
    if language == "zh":
        return " · ".join(ROLE_ZH.get(role, role) for role in roles)
    return " · ".join(roles)
