"""The engine assumptions note: the shipped values, a vault's edits reaching
the figures, bad rows as problems that lose nothing, and the limits each
store and cloud really has. Also the price note's volume tiers."""

from pathlib import Path

import pytest

from vault_tools.capacity.assumptions import (
    _READERS, ASSUMPTIONS_NOTE, LIMIT_RULES, default_assumptions, parse_assumptions,
)
from vault_tools.capacity.engine import build_report
from vault_tools.capacity.prices import parse_prices
from vault_tools.sync import sync

SHIPPED = Path(__file__).resolve().parent.parent / "vault-template" / ASSUMPTIONS_NOTE
BIG = {"dau": "100M", "writes": "50K/s", "reads": "500K/s", "write-size": "1 KB", "retention": "5 years"}


def note(*rows: str, split: str = "") -> str:
    body = "| Key | Value | What it means | Source |\n|---|---|---|---|\n" + "".join(r + "\n" for r in rows)
    return body + ("\n| Hop | Share | Why |\n|---|---|---|\n" + split if split else "")


def limits(props: dict, rules=None) -> dict[str, float]:
    return {limit.label: limit.limit for limit in build_report(props, "T", rules=rules).growth.limits}


class TestShippedNote:
    def test_it_holds_every_key_the_engine_reads_with_a_source(self):
        shipped = parse_assumptions(SHIPPED.read_text(encoding="utf-8"), fallback=default_assumptions())
        assert shipped.problems == []
        assert set(_READERS) == set(default_assumptions().rows)
        assert all(row.source for row in default_assumptions().rows.values())
        assert set(LIMIT_RULES) <= set(_READERS)

    def test_its_latency_split_adds_up_to_all_of_the_budget(self):
        split = default_assumptions().split
        assert len(split) == 5 and sum(share for _, share in split) == pytest.approx(1)


class TestVaultEdits:
    def test_a_lower_headroom_runs_more_instances(self):
        props = {"writes": "1K/s", "reads": "9K/s", "server-rps": "1K/s"}
        shipped = build_report(props, "T")
        edited = build_report(props, "T", rules=parse_assumptions(note("| `headroom` | 50% | | |")))
        assert (shipped.instances, edited.instances) == (29, 40)  # 20K/s at peak ÷ (1K/s × 70% or 50%)
        assert any("50% of server-rps" in line for line in edited.assumptions)

    def test_the_read_heavy_threshold_is_the_notes(self):
        props = {"writes": "1K/s", "reads": "5K/s"}
        assert not any(i.about == "ratio" for i in build_report(props, "T").insights)
        rules = parse_assumptions(note("| `read-heavy` | 5:1 | | |"))
        assert any(i.about == "ratio" and "Read-heavy" in i.text for i in build_report(props, "T", rules=rules).insights)

    def test_a_limit_edit_moves_what_breaks_first(self):
        rules = parse_assumptions(note("| `sql-primary-writes` | 100K/s | | |"))
        assert limits({**BIG, "components": ["sql"]}, rules)["Writes on one primary database"] == 100e3

    def test_a_latency_split_of_the_vaults_own(self):
        rules = parse_assumptions(note(split="| Edge | 50% | |\n| Service | 50% | |\n"))
        sla = build_report({"writes": "1/s", "latency-p99": "200ms"}, "T", rules=rules).sla
        assert [(hop.name, hop.seconds) for hop in sla.latency_budget] == [("Edge", 0.1), ("Service", 0.1)]


class TestBadRows:
    def test_a_value_that_does_not_read_names_the_key_and_keeps_the_shipped_one(self):
        rules = parse_assumptions(note("| `headroom` | lots | | |", "| `min-instances` | 3 | | |"))
        [problem] = rules.problems
        assert problem.key == "headroom" and "lots" in problem.message and "70%" in problem.hint
        assert rules["headroom"] == 0.7 and rules["min-instances"] == 3

    def test_an_unknown_key_is_a_problem(self):
        [problem] = parse_assumptions(note("| `head-room` | 70% | | |")).problems
        assert "`head-room` is not a key" in problem.message and "headroom" in problem.hint

    def test_latency_shares_that_do_not_add_up_keep_the_shipped_split(self):
        rules = parse_assumptions(note(split="| Edge | 50% | |\n| Service | 30% | |\n"))
        assert "80%" in rules.problems[0].message and rules.split == default_assumptions().split

    def test_a_vault_note_that_does_not_read_is_a_problem_and_the_topic_still_renders(self, tmp_path):
        from vault_tools.cli import main
        assert main(["init", str(tmp_path / "v")]) == 0
        vault = tmp_path / "v"
        (vault / ASSUMPTIONS_NOTE).write_text(note("| `headroom` | most | | |"), encoding="utf-8")
        report = sync(vault)
        assert any(p.path == ASSUMPTIONS_NOTE and p.key == "headroom" for p in report.problems)
        assert "## 3." in (vault / "Topics" / "Design Twitter.md").read_text(encoding="utf-8")


def test_an_edit_to_the_vaults_note_reaches_the_topics_on_the_next_sync(tmp_path):
    from vault_tools.cli import main
    assert main(["init", str(tmp_path / "v")]) == 0
    vault = tmp_path / "v"
    sync(vault)
    topic = vault / "Topics" / "Design TinyURL.md"
    assert "× 70%)" in topic.read_text(encoding="utf-8")
    path = vault / ASSUMPTIONS_NOTE
    path.write_text(path.read_text(encoding="utf-8").replace("| `headroom` | 70% |", "| `headroom` | 60% |"),
                    encoding="utf-8")
    sync(vault)
    assert "× 60%)" in topic.read_text(encoding="utf-8")


class TestLimitsOfTheChosenStore:
    def test_cosmos_db_has_container_limits_not_a_disk(self):
        found = limits({**BIG, "components": ["nosql"]})
        assert found["RU/s on one Cosmos DB container"] == 1e6
        assert not any("disk" in label or "storage" in label or "primary" in label for label in found)

    def test_dynamodb_has_its_table_quotas(self):
        found = limits({**BIG, "components": ["nosql"], "cloud": "aws"})
        assert found["Write capacity units on one DynamoDB table"] == 40e3
        assert "RU/s on one Cosmos DB container" not in found

    def test_a_relational_store_has_a_primary_and_a_disk(self):
        found = limits({**BIG, "components": ["sql"]})
        assert found["Writes on one primary database"] == 10e3
        assert found["One database server's storage"] == pytest.approx(32 * 2**40)

    def test_gateways_have_their_clouds_throughput(self):
        props = {**BIG, "components": ["gateway", "sql"]}
        assert limits(props)["Calls on one API Management Premium unit (an estimate, not a cap)"] == 4e3
        aws = limits({**props, "cloud": "aws"})
        assert aws["API Gateway requests of one account in one Region"] == 10e3

    def test_a_stream_has_partition_and_namespace_limits(self):
        found = limits({**BIG, "components": ["stream"]})
        assert found["Bytes into one Kafka partition"] == 10e6
        assert found["Throughput units in one Event Hubs Standard namespace"] == 40

    def test_no_fictional_region_egress_limit(self):
        everything = {**BIG, "media-share": "80%", "media-size": "2 MB",
                      "components": ["sql", "cache", "cdn", "gateway", "stream", "blob"]}
        assert not any("region" in label.lower() and "egress" in label.lower() for label in limits(everything))


class TestPriceTiers:
    HEADER = "| cloud | item | unit | price |\n|---|---|---|---|\n| azure | egress | GB | 0.087 |\n"

    def test_tiers_out_of_order_are_a_problem(self):
        _, problems = parse_prices(self.HEADER + "| azure | egress@50TB | GB | 0.07 |\n"
                                                 "| azure | egress@10TB | GB | 0.083 |\n")
        [problem] = problems
        assert problem.key == "egress@10tb" and "smallest start up" in problem.message and "egress@10TB" in problem.hint

    def test_a_tier_start_that_does_not_read_is_a_problem(self):
        _, problems = parse_prices(self.HEADER + "| azure | egress@lots | GB | 0.07 |\n")
        assert "does not read" in problems[0].message and problems[0].key == "egress@lots"

    def test_a_tier_dearer_than_the_one_below_is_a_problem(self):
        _, problems = parse_prices(self.HEADER + "| azure | egress@10TB | GB | 0.09 |\n")
        assert "more than `egress`" in problems[0].message

    def test_the_rest_of_the_cost_is_still_shown(self):
        table, _ = parse_prices(self.HEADER + "| azure | egress@50TB | GB | 0.07 |\n"
                                              "| azure | egress@10TB | GB | 0.083 |\n")
        report = build_report({"writes": "1K/s", "reads": "1M/s", "read-size": "10 KB"}, "T", prices=table)
        assert next(line for line in report.cost.lines if line.key == "egress").usd > 0
