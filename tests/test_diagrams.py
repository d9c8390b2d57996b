"""Diagram generators: the architecture, service map and data model blocks,
and the Excalidraw drawing, as pure functions of a topic.

Whether Mermaid really draws them is tests/test_mermaid_render.py; the
hostile-name topics defined here are rendered there too.
"""

from __future__ import annotations

import json
import re

import pytest

from vault_tools import diagrams
import excalidraw_check
from vault_tools.diagrams import excalidraw
from vault_tools import generators as live
from vault_tools.library.catalog import Catalog, Component
from vault_tools.topic import Context, Topic
from vault_tools.note import STUB, Note
from vault_tools.settings import Settings


def component(name: str, layer: str, azure: str = "", aws: str = "", aliases: tuple[str, ...] = ()) -> Component:
    return Component(name, aliases, layer, azure or f"Azure {name}", aws or f"AWS {name}", "")


CATALOG = Catalog([
    component("client", "client"), component("cdn", "edge", "Front Door"), component("gateway", "edge"),
    component("app", "service", "AKS, Container Apps"), component("auth", "service"),
    component("cache", "data", "Azure Managed Redis (tiers)", aliases=("redis",)),
    component("sql", "data", "Azure Database for PostgreSQL"), component("nosql", "data", "Cosmos DB", "DynamoDB"),
    component("blob", "data"), component("search", "data"), component("analytics", "data"),
    component("queue", "async"), component("stream", "async"), component("worker", "async"),
    component("email", "external"), component("payment", "external"), component("monitoring", "external"),
])

# Every character and word that has broken a Mermaid diagram somewhere.
HOSTILE = ['a (b)', '[x]', '{y}', 'say "hi"', "it's", '#1 tag', 'semi;colon', 'p|q', '<script>x</script>', 'end',
           '1. first', '- dash', '😀 emoji', '中文名', 'graph', 'subgraph', 'style', 'class', 'click', 'default',
           '%% comment %%', '`tick`', 'x --> y', 'A & B', 'back\\slash', 'alt', 'else', 'participant', 'PK',
           'note right of', ':::cls', 'end;', '#quot;', ' ', '[[link]]', '^abc12345']
HOSTILE_WORDS = ['(b)', '[x]', '{y}', '"hi"', "it's", '#1', 'a;b', 'p|q', '<s>', 'end', '1.', '😀', '中文',
                 'graph', 'style', 'class', 'PK', 'fk', '%%', '`t`', 'x-->y', '&', '---']


def make_topic(props: dict | None = None, catalog: Catalog = CATALOG, name: str = "Shop", cloud: str = "azure") -> Topic:
    props = {"topic": name, **(props or {})}
    note = Note(f"Topics/{name or 'Untitled'}.md", b"", "", False, "\n", None, props, STUB)
    return Topic(note, Context(Settings(cloud=cloud), catalog=catalog))


def hostile_topics() -> list[Topic]:
    """Topics whose every name is hostile: topic, components (known to the
    catalog and unknown), services, journeys, entities, fields, types."""
    layers = diagrams.LAYERS
    catalog = Catalog(list(CATALOG.components) + [
        Component(name, (), layers[i % len(layers)], name, name, name)
        for i, name in enumerate(HOSTILE) if name.strip()])
    topics = []
    for index, title in enumerate(HOSTILE):
        chosen = HOSTILE[index:] + HOSTILE[:index]
        words = HOSTILE_WORDS[index % len(HOSTILE_WORDS):] + HOSTILE_WORDS[:index % len(HOSTILE_WORDS)]
        entities = {name: [f"{words[j]} {words[j + 5]}" + (" pk" if j == 0 else "") for j in range(4)]
                    for name in chosen[:2]}
        entities["Ref"] = ["id uuid pk", f"owner uuid fk {chosen[0]}", f"other fk {chosen[1]}"]
        props = {"components": chosen[:12] + ["cache", "nosql", "queue", "unknown (thing)"],
                 "journeys": chosen[:4], "entities": entities, "shard-key": f"{chosen[1]}.{words[0]}",
                 "dau": "1M", "writes": "1M/day", "reads": "10M/day"}
        topics.append(make_topic(props, catalog, title))
    topics.append(make_topic({"components": ["cdn", "app", "nosql"], "entities": {"": ["", "x"], "y": None}},
                             catalog, ""))
    return topics


def blocks(topic: Topic) -> dict[str, str]:
    return {name: make(topic) for name, make in diagrams.GENERATORS.items()}


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"^```mermaid\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


# ------------------------------------------------------------ architecture

def test_the_blocks_are_registered_as_live_blocks():
    for name in ("architecture", "services", "data-model"):
        assert live.LIVE[name] is diagrams.GENERATORS[name]


def test_architecture_groups_components_by_layer_left_to_right():
    text = diagrams.architecture_block(make_topic({"components": ["nosql", "cdn", "app", "queue", "email"]}))
    chart = mermaid_blocks(text)[0]
    assert chart.startswith("flowchart LR\n")
    order = [chart.index(f"subgraph layer_{layer}") for layer in ("client", "edge", "service", "data", "async",
                                                                  "external")]
    assert order == sorted(order)
    assert 'n2_cdn["cdn<br/>Front Door"]' in chart
    assert 'n1_nosql[("nosql<br/>Cosmos DB")]' in chart
    assert "classDef lyr_data fill:" in chart and "class n1_nosql lyr_data" in chart


def test_sync_calls_are_solid_and_async_paths_dotted():
    chart = mermaid_blocks(diagrams.architecture_block(
        make_topic({"components": ["gateway", "app", "cache", "queue", "worker", "email"]})))[0]
    assert "client --> n1_gateway" in chart
    assert "n1_gateway --> n2_app" in chart
    assert "n2_app --> n3_cache" in chart
    assert 'n2_app -.->|"publish"| n4_queue' in chart
    assert 'n4_queue -.->|"consume"| n5_worker' in chart
    assert "n5_worker -.-> n6_email" in chart
    assert "n5_worker -.-> n3_cache" not in chart  # workers leave the cache to the request path


def test_a_client_app_and_workers_are_implied_when_the_paths_need_them():
    arch = diagrams.architecture(make_topic({"components": ["cache", "queue"]}))
    implied = {n.id for n in arch.nodes if n.implied}
    assert implied == {"client", "app", "workers"}
    chart = diagrams.architecture_flowchart(arch)
    assert "style app stroke-dasharray:5 5" in chart
    assert "client --> app" in chart


def test_unknown_components_are_services():
    arch = diagrams.architecture(make_topic({"components": ["gateway", "ledger (v2)", "sql"]}))
    ledger = next(n for n in arch.nodes if n.name == "ledger (v2)")
    assert ledger.layer == "service" and ledger.id == "n2_ledger_v2"
    assert {(e.source, e.target) for e in arch.edges} >= {("n1_gateway", ledger.id), (ledger.id, "n3_sql")}


def test_aliases_name_the_same_component_once():
    arch = diagrams.architecture(make_topic({"components": ["cache", "redis", "app"]}))
    assert [n.name for n in arch.nodes if n.layer == "data"] == ["cache"]


def test_a_part_named_for_its_product_says_the_name_once():
    from vault_tools.diagrams.architecture import Node, box, short_service
    assert box(Node("n1", "Key Vault", "external", service="Key Vault")) == 'n1[/"Key Vault"/]'
    assert "<br/>Cosmos DB" in box(Node("n2", "Trip DB", "data", service="Cosmos DB"))
    assert box(Node("n3", "Front Door", "edge", service="Azure Front Door")) == 'n3["Front Door"]'
    assert "Managed Instance for Apache Cassandra" in box(
        Node("n4", "Message store", "data", service=short_service("Azure Managed Instance for Apache Cassandra")))


def test_a_product_is_named_by_its_own_words_only():
    from vault_tools.diagrams.architecture import product_named
    assert product_named("settles through an external bank", "n/a: an external PSP (Stripe, Adyen)") == ""
    assert product_named("keeps an archive in S3", "S3, S3 Glacier") == "S3"


def test_services_come_from_the_cloud_of_the_topic():
    aws = diagrams.architecture_block(make_topic({"components": ["nosql"]}, cloud="aws"))
    assert "DynamoDB" in aws and "Cosmos DB" not in aws


def test_write_and_read_paths_with_cache_hit_and_miss():
    text = diagrams.architecture_block(make_topic({"components": ["cdn", "gateway", "app", "cache", "sql", "queue"]}))
    write, read = mermaid_blocks(text)[1:3]
    assert write.startswith("sequenceDiagram\n") and "actor client as Client" in write
    assert "n3_app->>n5_sql: insert / update" in write
    assert "n3_app-)n6_queue: publish event #40;outbox#41;" in write
    assert "n3_app->>n4_cache: GET key" in read
    assert "    alt cache hit\n" in read and "    else cache miss\n" in read and "    end\n" in read
    assert read.index("alt cache hit") < read.index("n3_app->>n5_sql: read by key") < read.index("    end")
    assert "n1_cdn-->>client: 200 OK" in read


def test_without_a_cache_the_read_path_goes_to_the_store():
    read = mermaid_blocks(diagrams.architecture_block(make_topic({"components": ["app", "nosql"]})))[2]
    assert "alt" not in read and "n1_app->>n2_nosql: read by key" in read


def test_each_journey_gets_a_sequence():
    text = diagrams.architecture_block(make_topic({"components": ["gateway", "nosql"],
                                                   "journeys": ["Upload photo", "Share (public) link"]}))
    charts = mermaid_blocks(text)
    assert len(charts) == 5 and "**Journeys**" in text
    assert "title Upload photo" in charts[3] and "client->>n1_gateway: Upload photo" in charts[3]
    assert "title Share #40;public#41; link" in charts[4]


def test_no_components_is_a_note_saying_how_to_list_them():
    text = diagrams.architecture_block(make_topic())
    assert text.startswith("> [!note]") and "`components:`" in text
    assert diagrams.services_block(make_topic()).startswith("> [!note]")


# -------------------------------------------------------------- service map

def test_service_map_splits_request_path_from_background_work():
    topic = make_topic({"components": ["gateway", "app", "auth", "cache", "sql", "stream", "worker", "search"],
                        "dau": "10M", "writes": "10M/day", "reads": "100M/day"})
    chart = mermaid_blocks(diagrams.services_block(topic))[0]
    assert 'subgraph request_path ["Request path: synchronous"]' in chart
    assert 'subgraph background ["Background: asynchronous"]' in chart
    assert f"{topic.capacity.instances} instances at peak" in chart
    assert 'n1_gateway -->|"verify token"| n3_auth' in chart
    assert 'n2_app -->|"cache-aside"| n4_cache' in chart
    assert 'n7_worker -.->|"indexes"| n8_search' in chart
    assert "client" not in chart  # the map starts at the edge, unlike the architecture


# --------------------------------------------------------------- data model

ENTITIES = {"User": ["id uuid pk", "name text", "email varchar(320) uk"],
            "Url": ["code text pk", "long_url text", "user_id uuid fk User", "created_at timestamp"]}


def test_entities_become_an_er_diagram_with_relationships():
    text = diagrams.data_model_block(make_topic({"entities": ENTITIES}))
    er = mermaid_blocks(text)[0]
    assert er.startswith("erDiagram\n")
    assert '    e_user["User"] {\n        uuid id PK\n        text name\n        varchar_320 email UK\n    }' in er
    assert "        uuid user_id FK\n" in er
    assert '    e_user ||--o{ e_url : "user_id"' in er


def test_entities_become_postgres_ddl_referenced_tables_first():
    text = diagrams.data_model_block(make_topic({"entities": {"Url": ENTITIES["Url"], "User": ENTITIES["User"]}}))
    sql = re.search(r"```sql\n(.*?)```", text, re.DOTALL)[1]
    assert sql.index('CREATE TABLE "user"') < sql.index("CREATE TABLE url")
    assert "    id UUID PRIMARY KEY,\n" in sql and "    email VARCHAR(320) UNIQUE\n" in sql
    assert '    user_id UUID REFERENCES "user" (id),\n' in sql
    assert "    created_at TIMESTAMPTZ\n" in sql
    assert "CREATE INDEX ON url (user_id);" in sql


def test_foreign_key_cycles_are_added_after_the_tables():
    entities = {"A": ["id uuid pk", "b_id fk B"], "B": ["id bigint pk", "a_id fk A"]}
    sql = re.search(r"```sql\n(.*?)```", diagrams.data_model_block(make_topic({"entities": entities})), re.DOTALL)[1]
    assert "ALTER TABLE" in sql and "REFERENCES" in sql
    assert "b_id BIGINT" in sql  # an untyped fk takes the type of the key it refers to


def test_composite_keys_are_a_table_constraint():
    sql = diagrams.data_model_block(make_topic({"entities": {"Follow": ["follower uuid pk", "followee uuid pk"]}}))
    assert "    PRIMARY KEY (follower, followee)\n" in sql and "follower UUID NOT NULL" in sql


@pytest.mark.parametrize("cloud,product", [("azure", "Cosmos DB"), ("aws", "DynamoDB")])
def test_a_document_item_example_when_nosql_is_a_component(cloud, product):
    topic = make_topic({"entities": ENTITIES, "components": ["nosql"], "shard-key": "Url.user_id"}, cloud=cloud)
    text = diagrams.data_model_block(topic)
    assert f"**{product} item**: container `url`, partition key `/user_id`" in text
    item = json.loads(re.search(r"```json\n(.*?)```", text, re.DOTALL)[1])
    assert item["type"] == "url" and item["id"] == item["code"] and "user_id" in item
    user = diagrams.document_item(diagrams.Schema(diagrams.read_entities(ENTITIES)[0]),
                                  diagrams.read_entities(ENTITIES)[0][0])
    assert json.loads(user[len("```json\n"):-len("```\n")])["id"] == item["user_id"]  # references line up


def test_no_document_item_without_nosql():
    assert "```json" not in diagrams.data_model_block(make_topic({"entities": ENTITIES, "components": ["sql"]}))


def test_partitioning_by_the_shard_key_else_the_first_key():
    chosen = diagrams.data_model_block(make_topic({"entities": ENTITIES, "shard-key": "user_id"}))
    assert "**Partitioning** by `url.user_id`" in chosen
    default = diagrams.data_model_block(make_topic({"entities": ENTITIES}))
    assert "**Partitioning** by `user.id`" in default
    assert 'request["User request<br/>carries User.id"]' in mermaid_blocks(default)[1]


def test_no_entities_is_a_note_saying_how_to_declare_them():
    topic = make_topic()
    text = diagrams.data_model_block(topic)
    assert text.startswith("> [!note] No entities yet") and "entities: {User: [id uuid pk" in text
    assert topic.problems == []


@pytest.mark.parametrize("entities,found", [
    ("User Url", "`entities` should map each entity"),
    (42, "found `42`"),
    ([1, 2], "should map each entity"),
    ({"User": "id uuid pk bogus"}, "unknown word `bogus`"),
    ({"User": ["id uuid fk"]}, "`fk` needs the entity"),
    ({"Url": ["x uuid fk Nope"]}, "refers to `Nope`"),
    ({"User": [{"id": "uuid"}]}, "a field needs at least a name"),
    ({"User": ["id uuid pk", "ID text"]}, "field listed twice"),
    ({"User": {"id": "uuid"}}, "fields should be a list"),
])
def test_malformed_entities_are_a_warning_and_a_problem_never_an_exception(entities, found):
    topic = make_topic({"entities": entities})
    text = diagrams.data_model_block(topic)
    assert text.startswith("> [!warning] `entities` could not be read completely\n")
    assert found in text and "> Example: `entities: {User: [id uuid pk, name text]}`" in text
    assert [(p.key, p.kind, p.hint) for p in topic.problems] == [
        ("entities", "property", "e.g. entities: {User: [id uuid pk, name text]}")]
    assert found in topic.problems[0].message


def test_what_can_be_read_is_still_drawn_next_to_the_warning():
    topic = make_topic({"entities": {"User": ["id uuid pk", "name text oops"], "Url": ["code text pk"]}})
    text = diagrams.data_model_block(topic)
    assert text.startswith("> [!warning]") and "erDiagram" in text and "CREATE TABLE url" in text


# ----------------------------------------------------------------- escaping

def test_labels_use_entity_codes_for_every_dangerous_character():
    assert diagrams.label('say "hi" #1; (x) [y] {z} <b> a|b %% `c`') == (
        "say #34;hi#34; #35;1#59; #40;x#41; #91;y#93; #123;z#125; #60;b#62; a#124;b #37;#37; #96;c#96;")
    assert diagrams.label("1. first") == "1#46; first"
    assert diagrams.label("- item") == "#45; item"
    assert diagrams.label("  ") == "unnamed"
    assert diagrams.label("line\nbreak") == "line break"


@pytest.mark.parametrize("index", range(len(HOSTILE) + 1))
def test_hostile_names_never_break_out_of_a_label_or_the_live_block(index):
    topic = hostile_topics()[index]
    for name, text in blocks(topic).items():
        assert "%%" not in text, name
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        for chart in mermaid_blocks(text):
            for quoted in re.findall(r'"([^"\n]*)"', chart):
                bare = re.sub(r"#\d+;|<br/>", "", quoted)
                assert not set(bare) & set("#;<>|`()[]{}%"), (name, quoted)
            for node_id in re.findall(r"^\s+(n\d+\w*|e_?\w*|client|app|workers)[\[({]", chart, re.MULTILINE):
                assert node_id.isascii() and node_id not in ("end", "graph", "subgraph", "style", "class")


def test_hostile_entities_keep_sql_and_json_to_safe_identifiers():
    text = diagrams.data_model_block(hostile_topics()[0])
    sql = re.search(r"```sql\n(.*?)```", text, re.DOTALL)[1]
    assert sql.isascii() and "`" not in sql and "%" not in sql
    json.loads(re.search(r"```json\n(.*?)```", text, re.DOTALL)[1])


# --------------------------------------------------------------- excalidraw

@pytest.mark.parametrize("components", [
    ["cdn", "gateway", "app", "cache", "nosql", "blob", "queue", "worker", "email", "monitoring"],
    ["cache"], ["sql", "sql"], [], ["app", "unknown thing"],
])
def test_drawings_are_valid_excalidraw(components):
    topic = make_topic({"components": components})
    scene = excalidraw.drawing(topic)
    assert excalidraw_check.validate(scene) == []
    note = excalidraw.drawing_note(topic)
    assert excalidraw_check.check_note(note) == []
    assert excalidraw_check.scene_of(note) == scene


def test_drawing_layout_binds_labels_and_arrows_to_boxes():
    topic = make_topic({"components": ["gateway", "app", "queue", "worker"]})
    scene = excalidraw.drawing(topic)
    by_id = {e["id"]: e for e in scene["elements"]}
    boxes = [e for e in scene["elements"] if e["type"] == "rectangle"]
    arrows = [e for e in scene["elements"] if e["type"] == "arrow"]
    assert len(boxes) == 5 and len(arrows) == len(diagrams.architecture(topic).edges)
    columns = sorted({b["x"] for b in boxes})
    assert columns == sorted(columns) and len(columns) == 4  # client, edge, service, async
    for box in boxes:
        text = by_id[box["boundElements"][0]["id"]]
        assert text["containerId"] == box["id"] and text["groupIds"] == box["groupIds"]
    dashed = {a["strokeStyle"] for a in arrows if by_id[a["endBinding"]["elementId"]]["x"] == columns[-1]}
    assert dashed == {"dashed"}  # into the async column


def test_drawing_is_identical_when_redrawn():
    props = {"components": ["cdn", "app", "nosql", "queue"]}
    assert excalidraw.drawing_note(make_topic(props)) == excalidraw.drawing_note(make_topic(props))
    assert excalidraw.drawing_note(make_topic(props)) != excalidraw.drawing_note(make_topic(props, name="Other"))


def test_drawing_note_has_the_plugin_layout():
    note = excalidraw.drawing_note(make_topic({"components": ["app"]}))
    assert note.startswith("---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n")
    assert "\n# Excalidraw Data\n## Text Elements\n" in note
    assert re.search(r"\nClient\nweb · mobile \^[0-9A-Za-z]{8}\n\n", note)
    assert note.endswith("\n```\n%%\n") and "\n%%\n## Drawing\n```json\n{" in note


@pytest.mark.parametrize("index", range(len(HOSTILE) + 1))
def test_hostile_drawings_are_valid(index):
    note = excalidraw.drawing_note(hostile_topics()[index])
    assert excalidraw_check.check_note(note) == []
    hidden = note.split("%%\n## Drawing\n", 1)[1]
    assert hidden.count("%%") == 1 and hidden.count("```") == 2


def broken(change) -> list[str]:
    scene = excalidraw.drawing(make_topic({"components": ["gateway", "app", "cache"]}))
    change(scene["elements"])
    return excalidraw_check.validate(scene)


def first(elements, kind):
    return next(e for e in elements if e["type"] == kind)


@pytest.mark.parametrize("change,error", [
    (lambda els: first(els, "rectangle").pop("seed"), "`seed` missing"),
    (lambda els: first(els, "text").update(fontSize="big"), "`fontSize` has the wrong type"),
    (lambda els: first(els, "arrow").update(locked=1), "`locked` has the wrong type"),
    (lambda els: first(els, "rectangle").update(fillStyle="gradient"), "`fillStyle` is 'gradient'"),
    (lambda els: els.append(dict(els[0])), "duplicate id"),
    (lambda els: first(els, "rectangle").update(boundElements=[]), "does not list it in boundElements"),
    (lambda els: [e.update(containerId=None) for e in els if e["type"] == "text"], "has containerId None"),
    (lambda els: first(els, "arrow")["startBinding"].update(elementId="missing1"), "missing element missing1"),
    (lambda els: [e.update(boundElements=[b for b in e["boundElements"] if b["type"] == "text"])
                  for e in els if e["type"] == "rectangle"], "does not list the arrow"),
    (lambda els: first(els, "arrow").update(points=[[5, 5]]), "`points` should be"),
])
def test_validate_catches_a_broken_drawing(change, error):
    errors = broken(change)
    assert any(error in e for e in errors), errors


def test_check_note_catches_a_text_element_missing_from_the_section():
    note = excalidraw.drawing_note(make_topic({"components": ["app"]}))
    mangled = re.sub(r"\nShop \^\w{8}\n\n", "\n", note)
    assert mangled != note
    assert excalidraw_check.check_note(mangled) == ["`## Text Elements` does not list exactly the scene's text elements"]


def test_a_unique_reference_is_one_to_zero_or_one():
    topic = make_topic({"entities": {"Trip": ["id uuid pk"], "Payment": ["id uuid pk", "trip_id fk Trip uk"],
                                     "Offer": ["id uuid pk", "trip_id fk Trip"]}})
    er = diagrams.er_diagram(diagrams.Schema(diagrams.read_entities(topic.props["entities"])[0]))
    assert "e_trip ||--o| e_payment" in er and "e_trip ||--o{ e_offer" in er
