"""The capacity engine: the published worked examples, every formula by hand,
defaults stated, and graceful degradation on missing or unreadable inputs."""

import json
import math

import pytest
from hypothesis import given, settings, strategies as st

from vault_tools.capacity.engine import build_report
from vault_tools.capacity.prices import PriceTable
from vault_tools.problems import Problem

NO_PRICES = PriceTable()

# Alex Xu, System Design Interview vol. 1, ch. 2: "Estimate Twitter QPS and storage".
TWITTER = {
    "mau": "300M", "daily-active": "50%", "writes": "2/user/day", "media-share": "10%",
    "media-size": "1 MB", "retention": "5 years",
    "write-size": "204 B",  # tweet_id 64 B + text 140 B; the book counts media only
}
# system-design-primer, Pastebin: 10M writes and 100M reads a month of ~1.27 KB, kept 3 years.
PASTEBIN = {"writes": "10M/month", "reads": "100M/month", "write-size": "1.27 KB", "retention": "3 years"}

REQUIRED_KEYS = {
    "topic", "dau", "writes_per_second", "reads_per_second", "peak_writes_per_second",
    "peak_reads_per_second", "storage_bytes_per_day", "storage_bytes_per_year", "storage_bytes_total",
    "storage_bytes_total_replicated", "ingress_bytes_per_second", "egress_bytes_per_second",
    "cache_bytes", "instances", "monthly_cost_usd", "assumptions", "problems",
}


def report(props, prices=NO_PRICES, topic="Topic"):
    return build_report(props, topic, prices)


class TestTwitterWorkedExample:
    """Published: DAU 150M; ~3500 writes/s; peak ~7000; media 30 TB/day; ~55 PB in 5 years."""

    def test_dau_is_mau_times_daily_active(self):
        assert report(TWITTER).traffic.dau == pytest.approx(150e6)

    def test_write_qps(self):
        writes = report(TWITTER).traffic.writes
        assert writes == pytest.approx(3472.2, abs=0.05)  # the book's exact figure
        assert round(writes, -2) == 3500  # "~3500"

    def test_peak_write_qps(self):
        peak = report(TWITTER).traffic.peak_writes
        assert peak == pytest.approx(2 * 3472.2, abs=0.1)
        assert round(peak, -3) == 7000  # "~7000"

    def test_media_storage_per_day_is_30_TB(self):
        assert report(TWITTER).storage.media_per_day == pytest.approx(30e12, rel=1e-9)

    def test_media_over_five_years_is_54_75_PB(self):
        assert report(TWITTER).storage.media_total == pytest.approx(54.75e15, rel=1e-9)

    def test_total_with_text_is_still_about_55_PB(self):
        total = report(TWITTER).storage.total
        assert round(total / 1e15) == 55  # "~55 PB"; text adds 0.11 PB to the media
        assert total == pytest.approx(54.75e15 + 300e6 * 204 * 1825, rel=1e-9)


class TestPastebinWorkedExample:
    """Published: 12.7 GB/month; ~450 GB (457.2) in 3 years; 4 writes/s and 40 reads/s via 2.5M s/month."""

    def test_storage_per_month_is_12_7_GB(self):
        assert report(PASTEBIN).storage.per_month == pytest.approx(12.7e9, rel=1e-9)

    def test_qps_with_a_30_day_month(self):
        traffic = report(PASTEBIN).traffic
        assert round(traffic.writes, 2) == 3.86
        assert round(traffic.reads, 1) == 38.6

    def test_qps_within_the_sources_rounding(self):
        # The source divides by 2.5M s/month (4/s, 40/s); 2,592,000 s is 3.7% more.
        traffic = report(PASTEBIN).traffic
        assert traffic.writes == pytest.approx(4, rel=0.04)
        assert traffic.reads == pytest.approx(40, rel=0.04)

    def test_three_years_is_457_GB_within_the_calendar_difference(self):
        # 3 × 365 days = 36.5 thirty-day months, the source counts 36: +1.4%.
        total = report(PASTEBIN).storage.total
        assert total == pytest.approx(457.2e9, rel=0.02)
        assert total == pytest.approx(12.7e9 * 365 * 3 / 30, rel=1e-9)

    def test_thirty_six_months_is_exactly_457_2_GB(self):
        total = report({**PASTEBIN, "retention": "36 months"}).storage.total
        assert total == pytest.approx(457.2e9, rel=1e-9)

    def test_reads_from_the_ratio_match_the_explicit_reads(self):
        props = {**PASTEBIN, "read-write-ratio": "10:1"}
        del props["reads"]
        assert report(props).traffic.reads == pytest.approx(report(PASTEBIN).traffic.reads)


class TestFormulas:
    def test_per_user_rate_times_dau(self):
        traffic = report({"dau": "1M", "writes": "10/user/day", "reads": "100/user/day"}).traffic
        assert traffic.writes == pytest.approx(10e6 / 86_400)
        assert traffic.reads == pytest.approx(100e6 / 86_400)

    def test_reads_from_read_write_ratio_and_peak(self):
        traffic = report({"writes": "1000/s", "read-write-ratio": "100:1", "peak-factor": 3}).traffic
        assert traffic.reads == pytest.approx(100_000)
        assert traffic.peak_reads == pytest.approx(300_000)
        assert traffic.peak_writes == pytest.approx(3_000)
        assert traffic.read_write_ratio == pytest.approx(100)

    def test_media_adds_share_times_size_to_every_day(self):
        storage = report({"writes": "100/s", "write-size": "1 KB", "media-share": "50%",
                          "media-size": "2 MB", "retention": "10 days"}).storage
        writes_per_day = 100 * 86_400
        assert storage.text_per_day == pytest.approx(writes_per_day * 1_000)
        assert storage.media_per_day == pytest.approx(writes_per_day * 0.5 * 2e6)
        assert storage.per_day == pytest.approx(writes_per_day * 1_001_000)
        assert storage.total == pytest.approx(storage.per_day * 10)

    def test_replication_multiplies_the_raw_total(self):
        base = {"writes": "1000/s", "write-size": "1 KB", "retention": "1 year"}
        default = report(base).storage
        assert default.total == pytest.approx(1000 * 86_400 * 1_000 * 365)
        assert default.total_replicated == pytest.approx(3 * default.total)
        assert report({**base, "replication": 2}).storage.total_replicated == pytest.approx(2 * default.total)

    def test_replication_copies_the_databases_text_not_the_media_an_object_store_keeps(self):
        """One geo-redundant storage account is billed once per GB; its copies are in the price."""
        storage = report({"writes": "1000/s", "write-size": "1 KB", "media-share": "50%", "media-size": "1 MB",
                          "retention": "1 year"}).storage
        assert storage.total_replicated == pytest.approx(3 * storage.text_total + storage.media_total)

    def test_a_year_of_storage_is_shown_only_when_more_than_a_year_is_kept(self):
        from vault_tools.capacity import whiteboard
        short = whiteboard.render("capacity", report({"writes": "1000/s", "retention": "30 days"}))
        long = whiteboard.render("capacity", report({"writes": "1000/s", "retention": "5 years"}))
        assert "Storage per year" not in short and "Storage per year" in long

    def test_binary_units_when_written_so(self):
        storage = report({"writes": "1/s", "write-size": "1 KiB"}).storage
        assert storage.per_day == pytest.approx(86_400 * 1024)

    def test_hot_is_the_last_30_days_and_cold_the_rest(self):
        storage = report({"writes": "1/s", "write-size": "1 KB", "retention": "1 year"}).storage
        assert storage.hot == pytest.approx(storage.per_day * 30)
        assert storage.cold == pytest.approx(storage.per_day * 335)
        short = report({"writes": "1/s", "write-size": "1 KB", "retention": "10 days"}).storage
        assert short.hot == pytest.approx(short.total) and short.cold == pytest.approx(0)

    def test_bandwidth_counts_media_on_both_sides(self):
        bandwidth = report({"writes": "10/s", "reads": "100/s", "write-size": "1 KB", "read-size": "2 KB",
                            "media-share": "10%", "media-size": "1 MB"}).bandwidth
        assert bandwidth.ingress == pytest.approx(10 * (1_000 + 100_000))
        assert bandwidth.egress == pytest.approx(100 * (2_000 + 100_000))
        assert bandwidth.peak_egress == pytest.approx(2 * bandwidth.egress)

    def test_read_size_defaults_to_write_size(self):
        result = report({"writes": "10/s", "reads": "100/s", "write-size": "3 KB"})
        assert result.bandwidth.egress == pytest.approx(100 * 3_000)
        assert "read-size = write-size 3 KB (default)" in result.assumptions

    def test_cache_is_a_share_of_a_days_reads(self):
        result = report({"writes": "1/s", "reads": "1000/s", "read-size": "1 KB"})
        assert result.cache_bytes == pytest.approx(0.2 * 1000 * 86_400 * 1_000)  # 17.28 GB
        custom = report({"writes": "1/s", "reads": "1000/s", "read-size": "1 KB", "cache-hot": "50%"})
        assert custom.cache_bytes == pytest.approx(0.5 * 86.4e9)

    def test_instances_at_70_percent_with_at_least_two(self):
        assert report({"writes": "500/s", "reads": "3000/s"}).instances == math.ceil(7000 / 700)
        assert report({"writes": "1/s"}).instances == 2
        assert report({"writes": "500/s", "reads": "3000/s", "server-rps": "5K"}).instances == 2

    @pytest.mark.parametrize("availability, minutes_per_month", [
        ("99.9%", 43.2), ("99.95%", 21.6), ("99.99%", 4.32),
    ])
    def test_downtime_per_30_day_month(self, availability, minutes_per_month):
        sla = report({"availability": availability}).sla
        assert sla.downtime_per_month / 60 == pytest.approx(minutes_per_month)
        assert sla.downtime_per_year == pytest.approx(sla.downtime_per_month * 365 / 30)

    def test_downtime_per_year_at_three_nines(self):
        assert report({"availability": "99.9%"}).sla.downtime_per_year / 3600 == pytest.approx(8.76)

    def test_error_budget_counts_every_request_in_a_month(self):
        sla = report({"writes": "100/s", "reads": "900/s", "availability": "99.9%"}).sla
        assert sla.error_budget_per_month == pytest.approx(0.001 * 1000 * 2_592_000)

    def test_latency_budget_splits_the_p99(self):
        hops = report({"latency-p99": "200ms"}).sla.latency_budget
        assert [hop.name.split(" ")[0] for hop in hops] == ["Edge", "Gateway", "Service", "Cache", "Network"]
        assert sum(hop.seconds for hop in hops) == pytest.approx(0.2)
        assert hops[0].seconds == pytest.approx(0.04)

    def test_growth_compounds_yearly(self):
        growth = report({"dau": "10M", "writes": "1/user/day", "growth": "40%/year"}).growth
        dau = next(p for p in growth.projections if p.label == "Daily active users")
        assert dau.values == pytest.approx((10e6, 14e6, 10e6 * 1.4**3, 1e8, 1e9))

    def test_years_until_a_limit_and_the_first_to_break(self):
        # peak writes 5,000/s → the 10K/s primary limit is 2× away: log 2 / log 1.4 years
        result = report({"writes": "2500/s", "reads": "25000/s", "read-size": "100 B", "write-size": "10 B",
                         "growth": "40%/year"})
        writes = next(limit for limit in result.growth.limits if "primary" in limit.label)
        assert writes.headroom == pytest.approx(2)
        assert writes.years == pytest.approx(math.log(2) / math.log(1.4))
        # cache: 20% × 2.16B reads × 100 B = 43.2 GB, 2.3× under 100 GB → writes break first
        assert result.growth.first_to_break is writes

    def test_instances_are_resized_at_each_scale(self):
        growth = report({"writes": "700/s"}).growth
        instances = next(p for p in growth.projections if p.label == "App instances")
        assert instances.values == (2, None, None, 20, 200)

    def test_reaching_a_limit_exactly_is_not_exceeding_it(self):
        # 20% × 1.2B reads/day × 500 B = 120 GB: at one Redis shard's memory, not past it
        result = report({"writes": "10M/day", "reads": "1.2B/day", "write-size": "500 B", "retention": "1 day"})
        cache = next(limit for limit in result.growth.limits if "cache" in limit.label)
        assert cache.headroom == pytest.approx(1) and not cache.exceeded
        assert not any("cache" in i.text for i in result.insights if i.kind == "warning")

    def test_an_exceeded_limit_is_a_warning(self):
        result = report({"writes": "20000/s"})
        assert any(i.kind == "warning" and "primary" in i.text for i in result.insights)


class TestDefaultsAndDegradation:
    def test_every_default_is_an_assumption(self):
        assumptions = report({"dau": "1M", "writes": "1/user/day"}).assumptions
        for default in ("peak-factor 2 (default)", "replication 3 (default)", "cache-hot 20% (default)",
                        "retention 5 years (default)", "write-size 1 KB (default)", "cloud azure (default)",
                        "server-rps 1,000 requests/s per instance (default)"):
            assert default in assumptions
        assert any("month = 30 days" in line for line in assumptions)

    def test_a_given_value_is_not_called_a_default(self):
        assumptions = report({"writes": "1/s", "peak-factor": 3, "retention": "1 year"}).assumptions
        assert not any(line.startswith(("peak-factor", "retention")) for line in assumptions)

    def test_mau_without_daily_active_assumes_half(self):
        result = report({"mau": "100M"})
        assert result.traffic.dau == pytest.approx(50e6)
        assert "daily-active 50% (default)" in result.assumptions

    def test_no_reads_means_unknown_read_figures(self):
        result = report({"dau": "1M", "writes": "1/user/day"})
        assert result.traffic.reads is None and result.traffic.peak_reads is None
        assert result.bandwidth.egress is None and result.cache_bytes is None
        assert result.storage.total is not None and result.instances == 2

    def test_nothing_given_gives_unknowns_not_exceptions(self):
        result = report({})
        assert result.traffic.writes is None and result.storage.total is None and result.instances is None
        assert result.problems == []

    def test_unreadable_value_is_a_problem_and_the_default_says_so(self):
        result = report({"writes": "1/s", "peak-factor": "lots"})
        problem = next(p for p in result.problems if p.key == "peak-factor")
        assert problem.kind == "property" and '"lots"' in problem.message
        assert "peak-factor 2 (default; the value given could not be read)" in result.assumptions
        assert result.traffic.peak_writes == pytest.approx(2)

    def test_unreadable_dau_leaves_per_user_rates_unknown(self):
        result = report({"dau": "lots", "writes": "2/user/day"})
        keys = {p.key for p in result.problems}
        assert keys == {"dau", "writes"}
        assert result.traffic.writes is None

    def test_per_user_rate_without_dau_is_a_problem(self):
        problem = next(p for p in report({"writes": "2/user/day"}).problems if p.key == "writes")
        assert "per user" in problem.message and problem.hint == "e.g. dau: 100M"

    def test_unknown_cloud_is_a_problem_and_azure_is_used(self):
        result = report({"cloud": "gcp"})
        assert result.inputs.cloud == "azure"
        assert any(p.key == "cloud" for p in result.problems)

    def test_components_without_a_catalog_are_taken_as_written(self):
        result = report({"components": ["CDN", "[[NoSQL]]", "Cache", " queue "]})
        assert result.inputs.components == ("cdn", "nosql", "cache", "queue")


class TestJson:
    def test_has_every_contract_key_in_base_units(self):
        data = report(TWITTER, topic="Twitter").to_json()
        assert REQUIRED_KEYS <= data.keys()
        assert data["topic"] == "Twitter"
        assert data["dau"] == pytest.approx(150e6)
        assert data["storage_bytes_total"] < data["storage_bytes_total_replicated"]
        assert data["storage_bytes_total_replicated"] == pytest.approx(
            3 * data["storage_bytes_total"] - 2 * data["storage_media_bytes_total"])
        assert "total" in data["monthly_cost_usd"]

    def test_is_strict_json(self):
        data = report({**TWITTER, "dau": "lots", "availability": "99.9%", "growth": "40%/year"}).to_json()
        text = json.dumps(data, allow_nan=False)
        problems = json.loads(text)["problems"]
        assert problems and problems[0]["key"] == "dau" and problems[0]["path"] is None

    def test_storage_total_is_raw_and_includes_media(self):
        data = report(TWITTER).to_json()
        assert data["storage_bytes_total"] == pytest.approx(
            data["storage_bytes_per_day"] * 1825, rel=1e-9)
        assert data["storage_bytes_total"] > data["storage_media_bytes_total"]


DAUS = st.integers(min_value=1, max_value=10**9)
PER_USER = st.integers(min_value=1, max_value=1000)


@settings(max_examples=100, deadline=None)
@given(dau=DAUS, writes=PER_USER, reads=PER_USER)
def test_doubling_dau_doubles_qps_and_storage(dau, writes, reads):
    props = {"writes": f"{writes}/user/day", "reads": f"{reads}/user/day", "media-share": "10%"}
    one, two = report({**props, "dau": dau}), report({**props, "dau": 2 * dau})
    for attribute in ("writes", "reads", "peak_writes", "peak_reads"):
        assert getattr(two.traffic, attribute) == pytest.approx(2 * getattr(one.traffic, attribute))
    for attribute in ("per_day", "per_year", "total", "total_replicated"):
        assert getattr(two.storage, attribute) == pytest.approx(2 * getattr(one.storage, attribute))
    assert two.cache_bytes == pytest.approx(2 * one.cache_bytes)


@settings(max_examples=100, deadline=None)
@given(writes=st.floats(min_value=0, max_value=1e9), factor=st.one_of(
    st.floats(min_value=-10, max_value=100, allow_nan=False), st.text(max_size=5), st.none()))
def test_peak_is_never_below_average(writes, factor):
    result = report({"writes": f"{writes:f}/s", "read-write-ratio": 3, "peak-factor": factor})
    assert result.traffic.peak_writes >= result.traffic.writes
    assert result.traffic.peak_reads >= result.traffic.reads


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                   st.lists(st.text(max_size=4), max_size=3))
KEYS = ["dau", "mau", "daily-active", "writes", "reads", "read-write-ratio", "write-size", "read-size",
        "media-share", "media-size", "retention", "peak-factor", "replication", "cache-hot", "server-rps",
        "availability", "latency-p99", "growth", "components", "cloud"]


@settings(max_examples=200, deadline=None)
@given(props=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_never_raises_and_problems_name_their_key(props):
    result = build_report(props, "T")
    json.dumps(result.to_json(), allow_nan=False)
    assert all(isinstance(p, Problem) and p.path is None for p in result.problems)
    assert {p.key for p in result.problems if p.kind == "property"} <= set(KEYS)


class TestWhatReachesEachStore:
    """A design whose hot path bypasses the database says so, and the
    database, messaging and cache figures follow (not every request)."""

    BASE = {"dau": "1M", "writes": "10K/s", "reads": "100K/s", "peak-factor": "2", "write-size": "100 B",
            "retention": "30 days"}

    def test_the_database_is_sized_by_db_writes_and_db_reads(self):
        plain = report({**self.BASE, "components": ["sql"]}, prices=None)
        given = report({**self.BASE, "components": ["sql"], "db-writes": "4.32M/day", "db-reads": "200/s"},
                       prices=None)
        formulas = [next(l for l in r.cost.lines if l.key == "database").formula for r in (plain, given)]
        assert "220K/s ÷ 1K queries/s per vCore = 220 vCores" in formulas[0]
        assert "500/s ÷ 1K queries/s per vCore = 2 vCores" in formulas[1]
        assert any(s.label == "Database writes" and "≈ 50/s" in s.working for s in given.steps)
        assert not any(s.label == "Database reads" for s in given.steps)  # given per second: no working

    def test_the_primary_database_limit_reads_db_writes(self):
        assert report({**self.BASE, "growth": "10%/year", "write-size": "100 B"}).growth.first_to_break.exceeded
        limits = report({**self.BASE, "growth": "10%/year", "db-writes": "60/s"}).growth.limits
        primary = next(l for l in limits if l.label == "Writes on one primary database")
        assert primary.now == 120 and not primary.exceeded

    def test_no_fictional_region_egress_limit(self):
        labels = {l.label for l in report({**self.BASE, "read-size": "1 MB"}).growth.limits}
        assert not any("egress" in label.lower() for label in labels)

    def test_messages_and_cache_size_when_given(self):
        result = report({**self.BASE, "components": ["stream", "cache"], "messages": "500/s", "cache-size": "10 GB"},
                        prices=None)
        stream = next(l for l in result.cost.lines if l.key == "stream")
        assert stream.formula.startswith("max(1K/s ÷ 1K events/s, 2 MB/s ÷ 1 MB/s) at peak = 2 TU")
        assert result.cache_bytes == 10e9
        assert any(s.label == "Cache" and "cache-size, given" in s.working for s in result.steps)

    def test_event_hubs_beyond_standard_says_so(self):
        stream = next(l for l in report({**self.BASE, "writes": "50K/s", "components": ["stream"]}, prices=None).cost.lines
                      if l.key == "stream")
        assert "over Standard's 40 TU per namespace" in stream.formula


def test_growth_stops_at_the_people_online():
    """100× of 500M DAU is not 50B users, six times the world's population."""
    projected = report({"dau": "500M", "writes": "1/user/day", "growth": "40%/year"}).growth
    users = next(p for p in projected.projections if p.label.startswith("Daily active users"))
    assert users.label == "Daily active users (capped)" and max(users.values) == 5.5e9
    assert any("people online worldwide" in line for line in projected.assumptions)
    small = report({"dau": "1M", "writes": "1/user/day"}).growth
    assert next(p for p in small.projections if p.label.startswith("Daily")).label == "Daily active users"


def test_the_database_keeps_what_reaches_it():
    """Pings that go to an in-memory index and a blob archive are not database rows."""
    base = {"writes": "100K/s", "write-size": "100 B", "retention": "30 days", "components": ["sql"]}
    everything = report(base, prices=None)
    rows = report({**base, "db-writes": "100/s", "db-row-size": "2 KB"}, prices=None)
    disk = [next(l for l in r.growth.limits if "storage" in l.label).now for r in (everything, rows)]
    assert disk[0] == pytest.approx(100e3 * 86_400 * 30 * 100)
    assert disk[1] == pytest.approx(100 * 86_400 * 30 * 2e3)
    storage = next(l for l in rows.cost.lines if l.key == "database_storage")
    assert storage.formula.startswith("518 GB kept over the retention")


def test_a_write_heavy_ratio_reads_as_one_to_n():
    from vault_tools.capacity import whiteboard
    text = whiteboard.render("capacity", report({"writes": "1000/s", "reads": "10/s"}))
    assert "| Read : write | 1 : 100 |" in text


def test_a_store_that_partitions_itself_has_no_single_primary_limits():
    """Cosmos DB / DynamoDB spread writes and data over partitions: 'one
    primary's writes' and 'one node's disk' are limits of a relational store."""
    big = {"writes": "50K/s", "write-size": "1 KB", "retention": "5 years"}
    sql = {l.label for l in report({**big, "components": ["sql"]}).growth.limits}
    nosql = {l.label for l in report({**big, "components": ["nosql"]}).growth.limits}
    assert {"Writes on one primary database", "One database server's storage"} <= sql
    assert not nosql & {"Writes on one primary database", "One database server's storage"}
    assert "RU/s on one Cosmos DB container" in nosql


def test_a_media_read_fetches_a_rendition_when_given():
    """A feed shows a 200 KB rendition of a 2 MB photo, not the original."""
    base = {"writes": "100/s", "reads": "10K/s", "write-size": "1 KB", "read-size": "1 KB",
            "media-share": "80%", "media-size": "2 MB"}
    original, rendition = report(base), report({**base, "media-read-size": "200 KB"})
    assert original.bandwidth.egress == pytest.approx(10e3 * (1e3 + 0.8 * 2e6))
    assert rendition.bandwidth.egress == pytest.approx(10e3 * (1e3 + 0.8 * 200e3))
    assert rendition.bandwidth.ingress == original.bandwidth.ingress


def test_the_stream_carries_every_write_not_only_the_databases():
    """Pings go to the stream; only rides reach the database: the stream is sized by the pings."""
    result = report({"writes": "10K/s", "write-size": "500 B", "db-writes": "10/s", "peak-factor": "1",
                     "components": ["stream", "sql"]}, prices=None)
    stream = next(l for l in result.cost.lines if l.key == "stream")
    assert stream.formula.startswith("max(10K/s ÷ 1K events/s, 5 MB/s ÷ 1 MB/s) at peak = 10 TU")
