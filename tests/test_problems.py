"""The problem library: a title as people type it finds its problem, and a
title-only stub expands into that system's design, with no blanks to fill,
its own services, endpoints and entities, and numbers that match the source."""

from __future__ import annotations

import json
import math
import re
import sys
import types
from pathlib import Path

import pytest
from helpers import outside_blocks, placeholders, section_text, stub

from vault_tools.capacity import build_report
from vault_tools.create import init_vault
from vault_tools.library.notes import PROBLEM, library_note
from vault_tools.library.problem_notes import match_title, problem_note
from vault_tools.note import parse
from vault_tools.settings import Settings
from vault_tools.sync import sync
from vault_tools.template import package_template

PROBLEMS = sorted((package_template() / "Problems").glob("*.md"))
BAR_SECTIONS = (1, 2, 4, 5, 7, 12, 13)

# Titles as people type them → the problem note they mean.
TITLES = {
    "URL Shortener": ["Design TinyURL", "Design a URL shortener like Bitly", "Design a link shortening service",
                      "design bit.ly"],
    "News Feed": ["Design Twitter", "Design the Facebook news feed", "Design Instagram's home timeline",
                  "Design a social media feed"],
    "Chat and Messaging": ["Design WhatsApp", "Design Telegram", "Design a chat app like Slack",
                           "Design Facebook Messenger"],
    "Ride Hailing": ["Design Uber", "Design a ride sharing app like Lyft", "Design a taxi booking service",
                     "Design Grab"],
    "Video Streaming": ["Design YouTube", "Design Netflix", "Design a video streaming platform",
                        "Design TikTok"],
    "File Sync": ["Design Dropbox", "Design Google Drive", "Design a file sync service like OneDrive",
                  "Design cloud file storage"],
    "Event Ticketing": ["Design Ticketmaster", "Design BookMyShow", "Design a concert ticket booking system",
                        "Design an event ticketing service"],
    "Rate Limiter": ["Design a rate limiter", "Design a throttling service for our API",
                     "Design an API rate limiting system", "Design a distributed rate limiter"],
    "Web Crawler": ["Design a web crawler", "Design Googlebot", "Design a crawler for a search engine",
                    "Design a web spider"],
    "Typeahead": ["Design search autocomplete", "Design typeahead suggestions",
                  "Design Google search autocomplete", "Design query autocompletion"],
    "Notification System": ["Design a notification system", "Design a push notification service",
                            "Design a notification service for a mobile app", "Design an alerting and notification platform"],
    "Payment System": ["Design a payment system like Stripe", "Design PayPal", "Design a payment gateway",
                       "Design payments for an e-commerce checkout"],
}


def library() -> list:
    notes = []
    for path in PROBLEMS:
        note, problems = parse(f"Problems/{path.name}", path.read_bytes(), Settings())
        entry, found = library_note(note)
        assert problems == [] and found == [] and entry.kind == PROBLEM, path.name
        notes.append(entry)
    return notes


LIBRARY = library()
BY_TITLE = {note.title: note for note in LIBRARY}


def test_the_twelve_problems_are_shipped():
    assert set(TITLES) <= set(BY_TITLE)


@pytest.mark.parametrize("expected, title", [(problem, title) for problem, titles in TITLES.items()
                                             for title in titles])
def test_a_title_finds_its_problem(expected, title):
    found = match_title(title, LIBRARY)
    assert found.problem is not None, f"{title!r}: {found.reason}"
    assert found.problem.title == expected, f"{title!r} → {found.problem.title} ({found.reason})"


def test_matching_ignores_case_accents_and_filler():
    assert match_title("DESIGN   ÜBER?", LIBRARY).problem.title == "Ride Hailing"
    assert match_title("how would you build the Uber backend", LIBRARY).problem.title == "Ride Hailing"


def test_a_title_that_matches_nothing_names_the_closest_problems():
    found = match_title("Design a parking lot", LIBRARY)
    assert found.problem is None and len(found.closest) == 3
    assert "no problem" in found.reason


# -- a title-only stub, expanded -------------------------------------------------------

@pytest.fixture(scope="module")
def expanded(tmp_path_factory) -> dict[str, str]:
    """One title-only stub per problem, expanded in a vault made by `init`."""
    root = tmp_path_factory.mktemp("problems") / "vault"
    init_vault(root)
    titles = {problem: titles[0] for problem, titles in TITLES.items()}
    for title in titles.values():
        (root / "Topics" / f"{title}.md").write_text(stub("", topic=f'"{title}"'), encoding="utf-8")
    report = sync(root)
    assert [p.line() for p in report.problems] == []
    return {problem: (root / "Topics" / f"{title}.md").read_text(encoding="utf-8")
            for problem, title in titles.items()}


@pytest.mark.parametrize("problem", sorted(TITLES))
def test_a_title_only_stub_has_no_blanks_to_fill(expanded, problem):
    assert placeholders(expanded[problem], BAR_SECTIONS) == []


def test_the_generic_scaffold_still_has_its_blanks(vault):
    """The counter finds blanks: the generic scaffold a title matching nothing gets."""
    root = vault({"Topics/Parking lot.md": stub("")})
    init_vault(root)
    sync(root)
    found = placeholders((root / "Topics/Parking lot.md").read_text(), BAR_SECTIONS)
    assert len(found) > 30
    assert any(line.startswith("§2: | FR-1 |") for line in found)


def table_rows(text: str, first_header: str) -> list[str]:
    """The body rows of the first table whose header starts with `first_header`."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"| {first_header} |"):
            rows = []
            for row in lines[index + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            return rows
    return []


@pytest.mark.parametrize("problem", sorted(TITLES))
def test_the_design_is_of_its_own_system(expanded, problem):
    text, note = expanded[problem], problem_note(BY_TITLE[problem])
    services = table_rows(section_text(text, 7), "Service")
    assert len(services) >= 3 and all(f"| {s.name} |" in text for s in note.services)
    endpoints = table_rows(section_text(text, 5), "Method")
    assert len(endpoints) >= 3
    assert f"`{note.apis[0]['path']}`" in endpoints[0]
    assert "erDiagram" in section_text(text, 4)
    assert all(f'["{row.name}"]' in section_text(text, 4) for row in note.entities)
    for service in note.services:  # its services are drawn, in §6 and in the §7 map
        assert f'["{service.name}"]' in section_text(text, 6) and f'["{service.name}"]' in section_text(text, 7)
    assert all(f"title {flow.title}" in section_text(text, 6) or "title " in section_text(text, 6)
               for flow in note.flows)
    assert f"[[{problem}]]" in section_text(text, 1)


def test_uber_is_uber(expanded):
    """The review's example: the Uber document speaks of drivers, trips,
    location pings and matching, and its numbers are ping-driven."""
    text = expanded["Ride Hailing"]
    for word in ("driver", "trip", "location", "matching", "GEOSEARCH", "WebSocket"):
        assert word in text, word
    assert "500K drivers × 20 writes ÷ 60 s ≈ 167K/s" in section_text(text, 3)
    assert "10M" not in re.findall(r"\| Daily active users \| (\S+) \|", text)


def test_the_architecture_draws_one_arrow_per_pair(expanded):
    """The driver app reaches the connection gateway through the socket load
    balancer, so the flowchart has no direct arrow for the same hop; services
    that call each other get one two-way arrow, not two."""
    full = section_text(expanded["Ride Hailing"], 6).split("**Full design:**")[-1]
    lines = [line.strip() for line in full.split("```")[1].splitlines()]  # the full flowchart
    assert "p2_driver_app --> p5_socket_load_balancer" in lines
    assert not any(re.fullmatch(r"p2_driver_app --> s\d+_connection_gateway", line) for line in lines)
    assert any(re.fullmatch(r"s\d+_connection_gateway <--> s\d+_location_service", line) for line in lines)
    calls = [tuple(re.split(r" <?--> ", line)) for line in lines if re.fullmatch(r"\w+ <?--> \w+", line)]
    assert len(calls) > 20 and len(calls) == len({frozenset(pair) for pair in calls})


def test_a_call_says_why_on_its_arrow_and_in_the_service_table(expanded):
    """`Media store (snapshot load at pod start)` in a service's Calls: the
    arrow is labelled with the reason and the §7 table keeps it."""
    doc = expanded["News Feed"]
    assert re.search(r'^\s*s\d+_feed_service -->\|"snapshot load at pod start"\| p\d+_media_store$',
                     section_text(doc, 6), re.MULTILINE)
    assert "Media store (snapshot load at pod start)" in section_text(doc, 7)
    assert re.search(r"^\s*p\d+_identity --> p\d+_graph_store$", section_text(doc, 6), re.MULTILINE)


def test_a_self_run_part_shows_no_managed_product_it_passed_over(expanded):
    """News Feed runs Envoy itself: its §9 row names no API Management, and
    its cost assumptions say nothing of a per-call gateway."""
    section = section_text(expanded["News Feed"], 9)
    envoy = next(line for line in section.splitlines() if line.startswith("| Envoy gateway |"))
    assert "API Management" not in envoy and "API Gateway" not in envoy  # on no cloud a managed product
    assert envoy.count("— (see Holds / does)") == 2
    assert "passes the API gateway" not in section
    payment = section_text(expanded["Payment System"], 9)
    merchant = next(line for line in payment.splitlines() if line.startswith("| Merchant server |"))
    assert "outside our cloud" in merchant and "devices" not in merchant


def test_the_architecture_is_drawn_in_two_passes(expanded):
    """§6 first draws the core request path (the entry through the CDN, the
    services and the stores they own; no messaging, no dotted arrow), then
    the full design with every box."""
    section = section_text(expanded["News Feed"], 6)
    assert section.index("**First pass: the core request path**") < section.index("**Full design:**")
    first, full = re.findall(r"```mermaid\n(flowchart LR.*?)```", section, re.DOTALL)[:2]
    assert "-.->" not in first and "Post events" not in first
    assert "Post events" in full and "-.->" in full
    assert "s6_feed_service" in first and "p8_post_store" in first and "Front Door" in first
    limiter = section_text(expanded["Rate Limiter"], 6).split("**Full design:**")[0]
    assert "Counter store" in limiter  # the store its service owns, though it is a cache


# -- numbers ---------------------------------------------------------------------------

def published_cases() -> list[tuple[str, str, str, str]]:
    return [(note.title, row.key, row.value, row.source) for note in LIBRARY
            for row in problem_note(note).published]


def within_rounding(published: str, value: float) -> bool:
    """`~1,160/s`, `36.5 TB`, `~4K/s`: the figure matches when it rounds to what
    the source wrote (half a unit of its last digit, and never tighter than
    the source's habit of rounding a day to 100,000 s: 16%)."""
    match = re.search(r"([\d,]*\.?\d+)\s*([KMBT]?)\s*([KMGTPE]?B)?", published.replace("~", ""))
    assert match, published
    digits = match[1].replace(",", "")
    scale = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}[match[2]]
    unit = {None: 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "PB": 1e15, "EB": 1e18}[match[3]]
    number = float(digits) * scale * unit
    significant = len(digits.replace(".", "").lstrip("0").rstrip("0") if "." not in digits
                      else digits.replace(".", "").lstrip("0")) or 1
    half_unit = 0.5 * 10 ** (math.floor(math.log10(number)) - significant + 1)
    return abs(value - number) <= max(half_unit, 0.16 * number)


@pytest.mark.parametrize("problem, figure, published, source", published_cases())
def test_numbers_match_the_published_source(problem, figure, published, source):
    note = problem_note(BY_TITLE[problem])
    report = build_report(note.defaults(), problem).to_json()
    assert report["problems"] == []
    assert report[figure] is not None
    assert within_rounding(published, report[figure]), f"{problem}: {figure} = {report[figure]:,.0f} vs {published}"


def test_there_are_published_figures_for_most_problems():
    assert len({case[0] for case in published_cases()}) >= 9


@pytest.mark.parametrize("problem", sorted(TITLES))
def test_the_scale_table_reads_without_problems(problem):
    note = problem_note(BY_TITLE[problem])
    report = build_report(note.defaults(), problem)
    assert report.problems == [] and report.traffic.writes
    assert all(row.source for row in note.scale)


def test_the_stub_beats_the_problem_which_beats_the_default(vault):
    root = vault({"Topics/Uber.md": stub("", topic='"Design Uber"', dau="50M")})
    init_vault(root)
    sync(root)
    text = (root / "Topics/Uber.md").read_text()
    inputs = section_text(text, 3)
    assert "| `dau` | 50M | your stub |" in inputs
    assert "| `drivers` | 500K | [[Ride Hailing]]: " in inputs
    assert "- cloud azure (default)" in inputs
    assert "| Daily active riders | 50M |" in text


def test_problem_property_wins_and_none_opts_out(vault):
    root = vault({"Topics/A.md": stub("", topic='"Design Uber"', problem='"[[Web Crawler]]"'),
                  "Topics/B.md": stub("", topic='"Design Uber"', problem="none"),
                  "Topics/C.md": stub("", topic='"Design Uber"', problem="Nope")})
    init_vault(root)
    report = sync(root)
    a, b, c = ((root / f"Topics/{x}.md").read_text() for x in "ABC")
    assert "| Problem | [[Web Crawler]]: `problem:` names it |" in a
    assert "| Problem | none: `problem: none`" in b and "| FR-1 | | P0 |" in b
    assert "| Problem | none: `problem: Nope` names no note in Problems/" in c
    assert [(p.path, p.key) for p in report.problems] == [("Topics/C.md", "problem")]


def test_a_problem_note_edit_flows_into_its_topics_live_blocks(vault):
    root = vault({"Topics/Uber.md": stub("", topic='"Design Uber"')})
    init_vault(root)
    sync(root)
    note = root / "Problems/Ride Hailing.md"
    note.write_text(note.read_text().replace("| POST | /v1/rides |", "| POST | /v2/rides |"))
    sync(root)
    text = (root / "Topics/Uber.md").read_text()
    assert "`/v2/rides`" in section_text(text, 5)  # the live API table follows
    assert "POST /v1/rides" in section_text(text, 6)  # the flows are the problem's own text: as they were


def test_a_topic_expanded_before_the_library_keeps_every_byte_outside_its_blocks(vault):
    """An older expanded topic (no problem blocks) gains nothing but its
    refreshed live blocks; text outside them is unchanged."""
    old = (Path(__file__).parent / "golden" / "bom-frontmatter-only.expected.md").read_text(encoding="utf-8-sig")
    old = old.replace("bom-frontmatter-only", "Design Uber")
    root = vault({"Topics/Design Uber.md": old})
    init_vault(root)
    sync(root)
    after = (root / "Topics/Design Uber.md").read_text()
    assert outside_blocks(after) == outside_blocks(old)
    assert "[[Ride Hailing]]" in after  # the overview block names the problem it now has


def test_new_shows_the_problem_and_its_numbers(tmp_path, cli):
    root = tmp_path / "v"
    init_vault(root)
    result = cli("new", "Design Uber", "--vault", str(root), "--dau", "2M")
    assert result.code == 0
    assert "problem: Ride Hailing (the title names `Uber`)" in result.out
    assert "numbers from Problems/Ride Hailing.md: drivers 500K, writes 20/driver/min" in result.out
    assert "dau 1M" not in result.out  # the stub's own
    none = cli("new", "Design a parking lot", "--vault", str(root))
    assert "problem: none" in none.out and "closest:" in none.out


def test_the_stub_template_plants_no_numbers():
    template = (package_template() / "Templates" / "System Design Stub.md").read_text()
    note, _ = parse("Templates/System Design Stub.md", template.encode(), Settings())
    assert set(note.props) == {"tags", "topic"}


# -- the notes themselves -----------------------------------------------------------------

@pytest.mark.parametrize("path", PROBLEMS, ids=lambda p: p.stem)
def test_every_name_in_a_problem_note_resolves(path):
    note = problem_note(BY_TITLE[path.stem])
    names = {n.casefold() for n in [*(s.name for s in note.services), *(p.name for p in note.parts),
                                     *note.actors]}
    for service in note.services:
        for name in (*service.owns, *service.calls, *(bus for bus, _ in service.publishes + service.consumes)):
            assert name.casefold() in names, f"{service.name} → {name}"
    for flow in note.flows:
        for step in flow.steps:
            if step.arrow:
                assert {step.source.casefold(), step.target.casefold()} <= names, f"{flow.title}: {step}"
    catalog = (package_template() / "Catalog/Components.md").read_text()
    for part in note.parts:
        assert f"\n| {part.component} |" in catalog, f"{part.name}: {part.component}"


def test_problem_snippets_compile_and_the_self_checking_ones_run():
    """A problem's Python blocks are valid Python; those that check
    themselves (asserts) run. Some sketch against a cloud SDK or numpy."""
    ran = 0
    for path in PROBLEMS:
        for block in re.findall(r"^```python\n(.*?)^```", path.read_text(), re.MULTILINE | re.DOTALL):
            code = compile(block, f"{path.name} snippet", "exec")
            if "assert " in block:
                module = types.ModuleType("snippet")
                sys.modules["snippet"] = module
                try:
                    exec(code, module.__dict__)
                finally:
                    del sys.modules["snippet"]
                ran += 1
    assert ran >= 3


def test_deep_dive_snippets_run():
    """Every Python block of the shipped deep dives runs (they end in asserts)."""
    ran = 0
    for path in sorted((package_template() / "Deep Dives").glob("*.md")):
        for block in re.findall(r"^```python\n(.*?)^```", path.read_text(), re.MULTILINE | re.DOTALL):
            module = types.ModuleType("snippet")
            sys.modules["snippet"] = module  # dataclasses look their module up
            try:
                exec(compile(block, f"{path.name} snippet", "exec"), module.__dict__)
            finally:
                del sys.modules["snippet"]
            ran += 1
    assert ran >= 9


def test_problems_lists_the_library_and_who_uses_it(tmp_path, cli):
    root = tmp_path / "v"
    init_vault(root)
    (root / "Topics/Lyft.md").write_text(stub("", topic='"Design a ride sharing app like Lyft"'))
    result = cli("problems", "--vault", str(root))
    assert result.code == 0
    assert "Ride Hailing  (Problems/Ride Hailing.md)" in result.out and "Topics/Lyft.md" in result.out
    assert "12 problems" in result.out.splitlines()[-1]
    data = json.loads(cli("problems", "--vault", str(root), "--json").out)
    ride = next(item for item in data if item["problem"] == "Ride Hailing")
    assert "Uber" in ride["aliases"] and ride["topics"] == ["Topics/Lyft.md"]


WIDGETS = """---
tags: [system-design/problem]
aliases: [widget shop]
---
## Scale

| Property | Value | Source |
|---|---|---|
| dau | 1M | assumption |
| writes | 1/user/day | assumption |
| latency-p99 | 100ms | assumption |

## Latency budget

| Hop | Share | Why |
|---|---|---|
| Gateway | 20% | TLS and auth |
| Order service | 30% | validation |
| Orders DB | 50% | one indexed write |

## Entities

| Entity | Fields | Store | Partition key | Notes |
|---|---|---|---|---|
| Customer | id uuid pk, name text | Orders DB | none | one table |
| Order | id uuid pk, customer_id fk Customer, total decimal | Orders DB | none | one table |
| Basket | id uuid pk, customer_id fk Customer, items json | Basket store | customer_id | one document per customer |

## Infrastructure

| Name | Component | Holds / does |
|---|---|---|
| Orders DB | sql | PostgreSQL: customers, orders |
| Basket store | nosql | Cosmos DB: baskets |
| Cache | cache | Azure Managed Redis |

## Extra costs

| Line | Quantity | Unit price (USD) | Source | Replaces |
|---|---|---|---|---|
| Azure Managed Redis M10 | 2 | 157.68 | infracost managed_redis_test golden | cache |
| Payment processor fees | 1,000 | 0.30 | per order, the processor's list price | none |
"""


def test_entities_are_drawn_where_they_live_and_the_latency_budget_is_the_problems(vault):
    root = vault({"Problems/Widget Store.md": WIDGETS, "Topics/W.md": stub("", topic='"Design a widget shop"')})
    init_vault(root)
    sync(root)
    text = (root / "Topics/W.md").read_text()
    model = section_text(text, 4)
    assert "**PostgreSQL** (Orders DB)" in model and "CREATE TABLE customer" in model
    assert "CREATE TABLE basket" not in model  # kept in Cosmos DB, not in SQL
    assert "**Cosmos DB item** (Basket store): container `basket`, partition key `/customer_id`" in model
    assert 'subgraph store_2 ["Basket store"]' in model and "partition key: customer_id" in model
    assert "hash #40;key#41; mod N" not in model
    sla = section_text(text, 2)
    assert "| Orders DB | 50% | 50 ms |" in sla and "Edge (CDN, TLS)" not in sla


@pytest.mark.parametrize("problem", sorted(TITLES))
def test_every_code_fence_is_closed(expanded, problem):
    """A `#` comment inside a problem's code is not a heading that cuts its section short."""
    fences = [line for line in expanded[problem].splitlines() if line.startswith(("```", "~~~"))]
    assert len(fences) % 2 == 0
    assert all(section_text(expanded[problem], n).count("\n```") % 2 == 0 for n in range(1, 14))


def template_sections() -> list[str]:
    """The problem sections the shipped section templates take in."""
    from vault_tools.sections import PROBLEM_LINE
    found = []
    for path in sorted((package_template() / "Templates" / "Sections").glob("*.md")):
        found += [m["heading"] for m in PROBLEM_LINE.finditer(path.read_text())]
    return found


@pytest.mark.parametrize("path", PROBLEMS, ids=lambda p: p.stem)
def test_every_problem_has_every_section_the_templates_take(path):
    note = problem_note(BY_TITLE[path.stem])
    missing = [heading for heading in template_sections() if not note.section(heading).strip()]
    assert missing == []
    assert note.latency, "a `## Latency budget` whose shares sum to 100%"
    assert all(row.store and note.part(row.store) for row in note.entities), "every entity in a store"


def test_a_problem_topic_carries_no_generic_advice(expanded):
    """Generic callouts (read-heavy → CDN, one primary's limits, media → CDN,
    common traps) give way to the problem's own estimates and 10×/100× table."""
    for problem, text in expanded.items():
        for phrase in ("> [!important] Read-heavy", "> [!important] Write-heavy", "> [!warning] First to break",
                       "> [!warning] Common traps", "> [!tip] Media is ", "| Limit (Engine Assumptions) |"):
            assert phrase not in text, (problem, phrase)
        assert not [line for line in text.splitlines() if line.startswith("> [!warning]") and "already exceeded" in line]
        growth = section_text(text, 11)
        for phrase in ("| Daily active", "limits (Engine Assumptions)", "users stop at", "| Storage over retention |"):
            assert phrase not in growth, (problem, phrase)  # the problem's own 10×/100× table says it
        assert "database replicas" not in section_text(text, 3).split("| Figure | Value |")[1].split("**Assumptions**")[0]
        assert "| Hot (last " not in text, problem


def test_a_problem_topic_links_the_library_notes_it_does_not_embed(expanded):
    """Its own deep dives decide for its numbers; a library Summary, written
    for every system, could contradict them, so §8 only links to the notes."""
    for problem, text in expanded.items():
        deep_dives = section_text(text, 8)
        assert "![[" not in deep_dives, problem
        assert "The general patterns, with the options this design did not take: [[" in deep_dives, problem


def test_a_third_party_is_drawn_outside_our_system(expanded):
    section = section_text(expanded["Web Crawler"], 6)
    external = section.split('subgraph layer_external ["External"]')[1].split("end")[0]
    assert '_website[/"Website"/]' in external and "indexing_pipeline" in external
    row = next(line for line in section_text(expanded["Web Crawler"], 9).splitlines() if line.startswith("| Website |"))
    assert row.count("— (see Holds / does)") == 2


def test_headlines_count_what_the_problem_counts(expanded):
    assert "| Daily active riders | 16M |" in expanded["Ride Hailing"]
    assert "| Peak location pings / rider pushes |" in expanded["Ride Hailing"]
    crawler = section_text(expanded["Web Crawler"], 1)
    assert "| Peak pages fetched | 772/s |" in crawler and "Daily active" not in crawler


def test_extra_costs_complete_the_bill_and_replace_what_they_size(vault):
    root = vault({"Problems/Widget Store.md": WIDGETS, "Topics/W.md": stub("", topic='"Design a widget shop"')})
    init_vault(root)
    sync(root)
    cost = section_text((root / "Topics/W.md").read_text(), 9)
    assert "| Azure Managed Redis M10 | 2 × $157.68 (infracost managed_redis_test golden) | $315 |" in cost
    assert "| Payment processor fees | 1,000 × $0.3 (per order, the processor's list price) | $300 |" in cost
    assert "cache-p" not in cost  # the engine's Premium cache line gives way to the problem's own sizing
    assert "they stand in for the list-price cache line(s)" in cost and "cache = cheapest node" not in cost
