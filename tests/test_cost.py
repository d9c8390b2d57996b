"""Monthly cost: the vault's price note, each cost line by hand, and a
missing or malformed price degrading one line, never the whole estimate."""

from dataclasses import replace
from pathlib import Path

import pytest

from vault_tools.capacity.engine import build_report
from vault_tools.capacity.cost import CostInputs, estimate
from vault_tools.capacity.prices import PriceTable, default_prices, parse_prices

SHIPPED = Path(__file__).resolve().parent.parent / "vault-template" / "Capacity" / "Cloud Prices.md"
ENGINE_ITEMS = {
    "azure": {"blob-hot", "blob-cool", "blob-archive", "egress", "vm", "nosql-ru", "nosql-storage",
              "sql-vcore", "sql-storage", "stream-unit", "stream-events", "queue-base", "queue-ops"},
    "aws": {"blob-hot", "blob-cool", "blob-archive", "egress", "vm", "nosql-wcu", "nosql-rcu",
            "nosql-storage", "sql-vcore", "sql-storage", "queue-requests", "stream-shard", "stream-put"},
}

TABLE = """\
Some intro text.

| cloud | item | unit | price USD | source | as of |
|---|---|---|---|---|---|
| azure | blob-hot | GB-month | 0.02 | test | 2024-07-01 |
| azure | blob-cool | GB-month | 0.01 | test | 2024-07-01 |
| azure | blob-archive | GB-month | 0.001 | test | 2024-07-01 |
| azure | egress | GB | 0.1 | test | 2024-07-01 |
| azure | vm | instance-month | 100 | test | 2024-07-01 |
| azure | cache-small | node-month, 6 GB | 200 | test | 2024-07-01 |
| azure | cache-large | node-month, 26 GB | 800 | test | 2024-07-01 |
| azure | nosql-ru | 100 RU/s-month | 5.84 | test | 2024-07-01 |
| azure | nosql-storage | GB-month | 0.25 | test | 2024-07-01 |
| azure | sql-vcore | vCore-month | 70 | test | 2024-07-01 |
| azure | sql-storage | GB-month | 0.1 | test | 2024-07-01 |
| azure | stream-unit | throughput unit-month | 20 | test | 2024-07-01 |
| azure | stream-events | million events | 0.03 | test | 2024-07-01 |
| azure | queue-base | namespace-month | 10 | test | 2024-07-01 |
| azure | queue-ops | million operations | 0.8 | test | 2024-07-01 |
| aws | nosql-wcu | WCU-month | 0.5 | test | 2024-07-01 |
| aws | nosql-rcu | RCU-month | 0.1 | test | 2024-07-01 |
| aws | queue-requests | million requests | 0.4 | test | 2024-07-01 |
| aws | vm | instance-month | 140 | test | 2024-07-01 |
"""
PRICES, _ = parse_prices(TABLE)

NOTHING = CostInputs(cloud="azure", components=(), media_per_day=None, db_bytes=None, retention_days=365,
                     egress=None, instances=None, cache_bytes=None, peak_reads=None, peak_writes=None,
                     writes=None, read_size=1_000, write_size=1_000)


def line(inputs, key, prices=PRICES):
    return next(line for line in estimate(inputs, prices).lines if line.key == key)


class TestShippedPriceNote:
    def test_parses_without_problems(self):
        table, problems = parse_prices(SHIPPED.read_text(encoding="utf-8"))
        assert problems == []
        assert len(table.prices) >= 20

    @pytest.mark.parametrize("cloud", ["azure", "aws"])
    def test_has_every_item_the_engine_looks_up(self, cloud):
        table, _ = parse_prices(SHIPPED.read_text(encoding="utf-8"))
        assert ENGINE_ITEMS[cloud] <= {item for c, item in table.prices if c == cloud}
        assert table.starting(cloud, "cache-")

    def test_every_price_keeps_its_source_and_date(self):
        table, _ = parse_prices(SHIPPED.read_text(encoding="utf-8"))
        assert all(price.source and price.as_of for price in table.prices.values())
        assert table.get("azure", "blob-hot").usd == 0.0208
        assert table.get("azure", "blob-hot").as_of == "2024-07-01"
        assert table.get("aws", "egress").usd == 0.09

    def test_default_prices_is_the_shipped_note(self):
        assert default_prices().get("azure", "nosql-ru").usd == 5.84

    def test_build_report_uses_the_shipped_prices_by_default(self):
        result = build_report({"writes": "100/s"}, "T")
        assert result.cost.total is not None and result.cost.total > 0
        assert not [p for p in result.problems if p.kind == "prices"]


class TestParsing:
    def test_reads_rows_of_every_price_table(self):
        assert PRICES.get("azure", "vm").usd == 100
        assert PRICES.get("aws", "vm").usd == 140
        assert PRICES.get("azure", "missing") is None

    def test_non_number_price_is_a_problem_with_its_line(self):
        text = TABLE.replace("| 0.1 | test", "| ten cents | test", 1)
        table, problems = parse_prices(text)
        assert len(problems) == 1
        assert problems[0].kind == "prices" and "line 8" in problems[0].message
        assert '"ten cents"' in problems[0].message and problems[0].key == "egress"
        assert table.get("azure", "egress") is None and table.get("azure", "vm") is not None

    def test_short_row_is_a_problem(self):
        table, problems = parse_prices(TABLE + "| azure | vm |\n")
        assert [p.kind for p in problems] == ["prices"]
        assert "cells" in problems[0].message

    def test_negative_price_is_a_problem(self):
        _, problems = parse_prices(TABLE.replace("| 100 |", "| -100 |"))
        assert problems and problems[0].key == "vm"

    def test_duplicate_row_is_a_problem_and_the_later_wins(self):
        table, problems = parse_prices(TABLE + "| azure | vm | instance-month | 150 | newer | 2025-01-01 |\n")
        assert table.get("azure", "vm").usd == 150
        assert "twice" in problems[0].message

    def test_dollar_signs_commas_and_backticks_are_fine(self):
        table, problems = parse_prices(TABLE.replace("| vm | instance-month | 100 |",
                                                     "| `vm` | instance-month | $1,100.50 |"))
        assert problems == [] and table.get("azure", "vm").usd == 1100.5

    def test_tables_in_code_blocks_and_other_tables_are_ignored(self):
        text = TABLE + "\n```\n| azure | vm | x | 1 | y | z |\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
        table, problems = parse_prices(text)
        assert problems == [] and table.get("azure", "vm").usd == 100

    def test_no_table_is_a_problem(self):
        table, problems = parse_prices("# Prices\n\nnothing here\n")
        assert table.prices == {} and problems[0].kind == "prices"

    def test_never_raises_on_odd_text(self):
        for text in ("", "|", "||\n|", "| cloud | item | price |\n|\n| a |", "\ufeff| x |"):
            parse_prices(text)


class TestLines:
    def test_compute(self):
        assert line(replace(NOTHING, instances=10), "compute").usd == pytest.approx(1000)

    def test_object_storage_by_age(self):
        # 1 TB/day kept 2 years, never archived: 30 days hot, 700 days cool (still read online)
        inputs = replace(NOTHING, media_per_day=1e12, retention_days=730)
        assert line(inputs, "storage_hot").usd == pytest.approx(30_000 * 0.02)
        assert line(inputs, "storage_cool").usd == pytest.approx(700_000 * 0.01)
        assert "storage_archive" not in {l.key for l in estimate(inputs, PRICES).lines}

    def test_archive_only_after_archive_after(self):
        # archive-after 1 year: 30 days hot, 335 days cool, 365 days archive (never read online)
        inputs = replace(NOTHING, media_per_day=1e12, retention_days=730, archive_after_days=365)
        assert line(inputs, "storage_cool").usd == pytest.approx(335_000 * 0.01)
        assert line(inputs, "storage_archive").usd == pytest.approx(365_000 * 0.001)

    def test_short_retention_has_no_archive_line(self):
        keys = {l.key for l in estimate(replace(NOTHING, media_per_day=1e12, retention_days=20), PRICES).lines}
        assert "storage_hot" in keys and "storage_archive" not in keys and "storage_cool" not in keys

    def test_egress_per_30_day_month(self):
        assert line(replace(NOTHING, egress=1e6), "egress").usd == pytest.approx(2_592 * 0.1)

    def test_cosmos_request_units(self):
        inputs = replace(NOTHING, components=("nosql",), peak_reads=1000, peak_writes=100, read_size=1_500)
        # 1000 × 2 RU (1.5 KB → 2 KB) + 100 × 5 RU = 2,500 RU/s = 25 × 100 RU/s
        assert line(inputs, "database").usd == pytest.approx(25 * 5.84)
        small = replace(inputs, peak_reads=1, peak_writes=1)
        assert line(small, "database").usd == pytest.approx(4 * 5.84)  # at least 400 RU/s

    def test_dynamodb_capacity_units(self):
        inputs = replace(NOTHING, cloud="aws", components=("nosql",), peak_reads=1000, peak_writes=100,
                         read_size=5_000, write_size=1_500)
        # 100 × 2 WCU + 1000 × 2 RCU (5 KB in 4 KB units)
        assert line(inputs, "database").usd == pytest.approx(200 * 0.5 + 2000 * 0.1)

    def test_sql_vcores(self):
        inputs = replace(NOTHING, peak_reads=5000, peak_writes=500)
        assert line(inputs, "database").usd == pytest.approx(6 * 70)
        assert line(replace(inputs, peak_reads=10, peak_writes=1), "database").usd == pytest.approx(2 * 70)

    def test_database_storage(self):
        assert line(replace(NOTHING, db_bytes=2e12), "database_storage").usd == pytest.approx(2_000 * 0.1)

    def test_cache_picks_the_cheapest_node_size(self):
        # 30 GB: 5 × 6 GB shards × 2 nodes × $200 = $2,000 beats 2 × 26 GB × 2 × $800 = $3,200
        cost = line(replace(NOTHING, cache_bytes=30e9), "cache")
        assert cost.usd == pytest.approx(2_000)
        assert "cache-small" in cost.formula and "5 shard" in cost.formula
        # 50 GB: 9 × 2 × $200 = $3,600 loses to 2 × 2 × $800 = $3,200
        assert line(replace(NOTHING, cache_bytes=50e9), "cache").usd == pytest.approx(3_200)

    def test_no_cache_line_when_components_leave_it_out(self):
        keys = {l.key for l in estimate(replace(NOTHING, cache_bytes=1e9, components=("cdn",)), PRICES).lines}
        assert "cache" not in keys

    def test_a_stream_is_priced_as_event_hubs(self):
        inputs = replace(NOTHING, components=("stream",), writes=1000, peak_writes=2500)
        # 3 throughput units; 2.592B events
        assert line(inputs, "stream").usd == pytest.approx(3 * 20 + 2_592 * 0.03)
        assert line(inputs, "stream").label == "Event Hubs"

    @pytest.mark.parametrize("role", ["queue", "pubsub"])
    def test_a_queue_is_priced_as_service_bus_not_event_hubs(self, role):
        inputs = replace(NOTHING, components=(role,), writes=1000, peak_writes=2500)
        # one namespace; 2.592B messages × 3 operations
        assert line(inputs, "queue").usd == pytest.approx(10 + 2_592 * 3 * 0.8)
        assert line(inputs, "queue").label == "Service Bus"

    def test_sqs_queue(self):
        inputs = replace(NOTHING, cloud="aws", components=("queue",), writes=100, peak_writes=200)
        assert line(inputs, "queue").usd == pytest.approx(259.2 * 3 * 0.4)

    def test_every_line_carries_its_formula(self):
        inputs = replace(NOTHING, components=("nosql", "cache", "queue"), media_per_day=1e12, db_bytes=1e12,
                         egress=1e6, instances=3, cache_bytes=1e9, peak_reads=10, peak_writes=1, writes=0.5,
                         retention_days=730, archive_after_days=365)
        report = estimate(inputs, PRICES)
        assert [l.key for l in report.lines] == [
            "storage_hot", "storage_cool", "storage_archive", "egress", "compute", "cache", "database",
            "database_storage", "queue"]
        assert all("$" in l.formula and l.usd is not None for l in report.lines)
        assert report.total == pytest.approx(sum(l.usd for l in report.lines))
        assert report.complete


class TestMissingPrices:
    def test_a_missing_price_is_one_unknown_line_and_a_problem(self):
        inputs = replace(NOTHING, instances=4, egress=1e6)
        table = PriceTable({k: v for k, v in PRICES.prices.items() if k != ("azure", "vm")})
        report = estimate(inputs, table)
        compute = next(l for l in report.lines if l.key == "compute")
        assert compute.usd is None and "no price" in compute.formula
        assert report.total == pytest.approx(2_592 * 0.1)
        assert not report.complete
        problem = report.problems[0]
        assert problem.kind == "prices" and problem.key == "vm" and "| azure | vm |" in problem.hint

    def test_unknown_figures_are_not_price_problems(self):
        report = estimate(NOTHING, PriceTable())
        assert report.problems == [] and report.total is None

    def test_empty_table_leaves_every_line_unknown_without_raising(self):
        result = build_report({"writes": "100/s", "reads": "1000/s", "media-share": "10%"}, "T", PriceTable())
        assert result.cost.total is None
        assert {p.key for p in result.problems if p.kind == "prices"} >= {"vm", "egress", "blob-hot"}
        assert result.to_json()["monthly_cost_usd"]["total"] is None

    def test_aws_is_priced_from_its_own_rows(self):
        result = build_report({"cloud": "aws", "writes": "1/s"}, "T", PRICES)
        assert next(l for l in result.cost.lines if l.key == "compute").usd == pytest.approx(2 * 140)


class TestComponentsAreReadThroughTheCatalog:
    """The catalog is the one list of component names: capacity and cost ask it."""

    def cost_lines(self, tmp_path, components, cloud="azure"):
        from vault_tools.library.catalog import load_catalog
        from vault_tools.note import STUB, Note
        from vault_tools.settings import Settings
        from vault_tools.template import package_template
        from vault_tools.topic import Context, Topic

        catalog, problems = load_catalog(tmp_path, package_template())
        assert problems == []
        props = {"dau": "10M", "writes": "1/user/day", "read-write-ratio": "10:1", "components": components}
        note = Note("Topics/T.md", b"", "", False, "\n", None, props, STUB)
        topic = Topic(note, Context(Settings(cloud=cloud), catalog=catalog, prices=default_prices()))
        return {line.key: line for line in topic.capacity.cost.lines}

    def test_valkey_is_priced_as_a_cache(self, tmp_path):
        assert "cache" in self.cost_lines(tmp_path, ["valkey"])
        assert "cache" not in self.cost_lines(tmp_path, ["cdn"])

    def test_a_document_db_is_priced_as_nosql(self, tmp_path):
        assert self.cost_lines(tmp_path, ["document db"])["database"].label == "Cosmos DB throughput"

    @pytest.mark.parametrize("name, key", [("stream", "stream"), ("message queue", "queue"), ("sqs", "queue")])
    def test_streams_and_queues_get_a_messaging_cost(self, tmp_path, name, key):
        assert self.cost_lines(tmp_path, [name])[key].usd > 0

    def test_kafka_is_priced_as_the_stream_it_is_drawn_as(self, tmp_path):
        assert self.cost_lines(tmp_path, ["kafka"])["stream"].label == "Event Hubs"
        assert self.cost_lines(tmp_path, ["kafka"], cloud="aws")["stream"].label == "Kinesis Data Streams"


class TestEdge:
    """A CDN serves most read bytes at its own rate; the origin sends only
    the misses; both by volume tier; the gateway is paid per call."""

    BASE = {"dau": "100M", "writes": "1/user/day", "read-write-ratio": "100:1", "read-size": "100 KB"}

    def lines(self, props, cloud="azure"):
        return {l.key: l for l in build_report({**self.BASE, **props, "cloud": cloud}, "T", default_prices(),
                                                tuple(props.get("components", ()))).cost.lines}

    def test_without_a_cdn_every_read_leaves_the_origin(self):
        lines = self.lines({"components": ["nosql"]})
        assert "egress" in lines and "cdn_egress" not in lines

    def test_a_cdn_bills_every_byte_it_sends_and_its_refill_is_free(self):
        lines = self.lines({"components": ["cdn", "nosql"], "cdn-hit": "95%"})
        assert "egress" not in lines and lines["origin_egress"].usd == 0
        assert "5% missed = 1.5 PB: not billed" in lines["origin_egress"].formula
        month_gb = 100e6 * 100 * 100e3 * 30 / 1e9  # every read byte, hits and misses alike
        assert "hits and misses alike" in lines["cdn_egress"].formula
        assert lines["cdn_egress"].usd == pytest.approx(
            10_000 * 0.083 + 40_000 * 0.075 + 100_000 * 0.056 + 350_000 * 0.037 + 500_000 * 0.028
            + (month_gb - 1_000_000) * 0.023)
        assert lines["cdn_egress"].usd == self.lines({"components": ["cdn", "nosql"], "cdn-hit": "50%"})[
            "cdn_egress"].usd  # the hit ratio sizes the origin, not the bill

    def test_a_cdn_for_media_only_leaves_the_api_bytes_to_the_origin(self):
        props = {"components": ["cdn", "gateway", "nosql"], "read-size": "1 KB", "media-share": "100%",
                 "media-size": "100 KB", "media-read-size": "9 KB", "cdn-hit": "95%", "cdn-serves": "media"}
        lines = self.lines(props)
        media_gb = 100e6 * 100 * 9e3 * 30 / 1e9  # 2.7 PB of renditions a month
        assert lines["cdn_egress"].usd == pytest.approx(
            10_000 * 0.083 + 40_000 * 0.075 + 100_000 * 0.056 + 350_000 * 0.037 + 500_000 * 0.028
            + (media_gb - 1_000_000) * 0.023)
        assert "2.7 PB of media reads" in lines["cdn_egress"].formula
        api = lines["egress"]
        assert api.label == "Internet egress (API, not through the CDN)"
        assert "= 300 TB" in api.formula  # 10B reads a day × 1 KB × 30 days
        requests = (100e6 * 101 / 86_400) * 2_592_000
        assert lines["gateway"].usd == pytest.approx(requests * 3.5 / 1e6)  # no API call is answered at the edge

    def test_cdn_serves_takes_only_its_two_values(self):
        report = build_report({**self.BASE, "components": ["cdn"], "cdn-serves": "images"}, "T", default_prices(),
                              ("cdn",))
        problem = next(p for p in report.problems if p.key == "cdn-serves")
        assert "images" in problem.message and problem.hint == "e.g. cdn-serves: media (or all)"
        assert any(line.key == "cdn_egress" for line in report.cost.lines)

    def test_egress_is_priced_by_volume_tier(self):
        line = self.lines({"components": ["nosql"]})["egress"]
        # 100M users × 1 × 100 reads × 100 KB = 1 PB a day → ~30 PB a month
        assert "10 TB × $0.087 + 40 TB × $0.083 + " in line.formula and "× $0.07" in line.formula
        month_gb = 100e6 * 100 * 100e3 * 30 / 1e9
        assert line.usd == pytest.approx(10_000 * 0.087 + 40_000 * 0.083 + (month_gb - 50_000) * 0.07)

    def test_the_gateway_is_paid_for_the_calls_the_cdn_does_not_answer(self):
        lines = self.lines({"components": ["cdn", "gateway"], "cdn-hit": "90%"})
        requests = (100e6 * 101 / 86_400) * 2_592_000
        assert lines["gateway"].usd == pytest.approx(requests * 0.1 / 1e6 * 3.5)
        given = self.lines({"components": ["cdn", "gateway"], "gateway-calls": "100/s"})
        assert given["gateway"].usd == pytest.approx(100 * 2_592_000 / 1e6 * 3.5)
        aws = self.lines({"components": ["cdn", "gateway"]}, cloud="aws")
        assert "cdn_requests" in aws and aws["gateway"].label == "API Gateway (HTTP API)"

    def test_a_hit_ratio_over_100_percent_is_a_problem_and_the_rest_is_still_costed(self):
        report = build_report({**self.BASE, "cdn-hit": "120%"}, "T", default_prices(), ("cdn",))
        problem = next(p for p in report.problems if p.key == "cdn-hit")
        assert "cdn-hit" in problem.hint and report.cost.total


def test_a_cache_beyond_ten_premium_shards_says_so():
    inputs = replace(NOTHING, cache_bytes=300e9)  # 300 GB ÷ 26 GB nodes = 12 shards
    assert "Premium clusters stop at 10 shards: 2 clusters" in line(inputs, "cache").formula
    assert "Premium clusters" not in line(replace(NOTHING, cache_bytes=50e9), "cache").formula


def test_cosmos_charges_a_read_by_the_item_not_the_response():
    base = {"writes": "100/s", "reads": "1K/s", "write-size": "500 B", "read-size": "5 KB", "peak-factor": "1"}
    page = build_report(base, "T", default_prices(), ("nosql",))
    items = build_report({**base, "db-writes": "100/s", "db-reads": "1K/s", "db-row-size": "800 B"}, "T",
                         default_prices(), ("nosql",))
    assert "1K/s × 5 RU" in next(l for l in page.cost.lines if l.key == "database").formula
    assert "1K/s × 1 RU" in next(l for l in items.cost.lines if l.key == "database").formula


def test_batching_packs_events_not_bytes():
    """10K writes/s of 500 B packed 100 to an event: 100 events/s but still 5 MB/s → 5 TU."""
    inputs = replace(NOTHING, components=("stream",), writes=10_000, peak_writes=10_000, write_size=500,
                     peak_messages=100)
    assert line(inputs, "stream").formula.startswith("max(100/s ÷ 1K events/s, 5 MB/s ÷ 1 MB/s) at peak = 5 TU")


def test_the_database_keeps_its_window_and_older_rows_move_to_object_storage():
    """An Instagram-like stub: 5 years of posts are not all in the database in month one."""
    base = {"dau": "500M", "writes": "1/user/day", "write-size": "1 KB", "retention": "5 years",
            "components": ["sql", "blob"]}
    everything = {l.key: l for l in build_report(base, "T").cost.lines}
    windowed = {l.key: l for l in build_report({**base, "db-retention": "90 days"}, "T").cost.lines}
    per_day = 500e6 * 1e3
    assert windowed["database_storage"].formula.startswith("45 TB kept for 90 days (db-retention)")
    assert windowed["database_storage"].usd == pytest.approx(everything["database_storage"].usd * 90 / 1825)
    moved = windowed["database_archive"]
    assert moved.formula.startswith("867 TB of older rows") and moved.usd == pytest.approx(
        per_day * (1825 - 90) / 1e9 * default_prices().get("azure", "blob-cool").usd)
    assert "database_archive" not in everything
    limit = next(l for l in build_report({**base, "db-retention": "90 days"}, "T").growth.limits
                 if "storage" in l.label)
    assert limit.now == pytest.approx(per_day * 90)
