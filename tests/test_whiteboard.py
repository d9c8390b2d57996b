"""The live blocks' Markdown: the working, the tables, the callouts, the
warnings for unreadable properties, and clean text (\\n, one final newline)."""

import pytest
from hypothesis import given, settings, strategies as st

from vault_tools.capacity.engine import build_report
from vault_tools.capacity.prices import PriceTable
from vault_tools.capacity.whiteboard import BLOCKS, render

TWITTER = {"mau": "300M", "daily-active": "50%", "writes": "2/user/day", "media-share": "10%",
           "media-size": "1 MB", "retention": "5 years", "write-size": "204 B"}
FULL = {"dau": "100M", "writes": "100M/day", "read-write-ratio": "100:1", "write-size": "500 B",
        "read-size": "2 KB", "retention": "10 years", "availability": "99.9%", "latency-p99": "200ms",
        "growth": "40%/year", "components": ["cdn", "cache", "nosql", "queue"]}


def block(name, props, prices=None):
    return render(name, build_report(props, "Topic", prices))


class TestCapacityBlock:
    def test_the_working_is_a_text_block_of_steps(self):
        text = block("capacity", TWITTER)
        assert "```text\n" in text
        assert "300M MAU × 50% daily-active ≈ 150M" in text
        assert "150M DAU × 2 writes ÷ 86,400 s ≈ 3.47K/s" in text
        assert "3.47K/s × 2 (peak-factor) ≈ 6.94K/s" in text
        assert "300M × 10% × 1 MB ≈ 30 TB" in text
        assert "× 1,825 days ≈ 54.9 PB" in text

    def test_results_table_in_human_units(self):
        text = block("capacity", TWITTER)
        assert "| Figure | Value |" in text
        assert "| Writes (average / peak) | 3.47K/s / 6.94K/s |" in text
        assert "| Storage over 5 years | 54.9 PB raw, 55.1 PB with 3 database replicas |" in text
        assert "| Storage per day | 30.1 TB |" in text

    def test_unknown_figures_show_a_dash(self):
        text = block("capacity", TWITTER)
        assert "| Reads (average / peak) | — / — |" in text
        assert "| Cache memory | — |" in text

    def test_read_heavy_callout(self):
        assert "> [!important] Read-heavy 100:1 → cache first" in block("capacity", FULL)

    def test_assumptions_are_listed(self):
        text = block("capacity", TWITTER)
        assert "**Assumptions**" in text
        assert "- peak-factor 2 (default)" in text
        assert "- replication 3 (default)" in text

    def test_unreadable_property_is_a_warning_callout(self):
        text = block("capacity", {**TWITTER, "dau": "lots"})
        assert '> [!warning] Could not read `dau`: found "lots" — e.g. dau: 100M\n' in text

    def test_warnings_stay_in_the_block_they_affect(self):
        props = {**TWITTER, "dau": "lots", "growth": "fast"}
        assert "`dau`" not in block("growth", props)
        assert "`growth`" in block("growth", props)
        assert "`growth`" not in block("capacity", props)

    def test_a_value_cannot_end_the_live_block_or_open_a_fence(self):
        text = block("capacity", {"dau": "%% vault-tools:end capacity %%", "mau": "```"})
        assert "%%" not in text
        assert text.count("```") == 0

    def test_nothing_given_says_what_to_add(self):
        assert "Add `dau` and `writes`" in block("capacity", {})


class TestSlaBlock:
    def test_downtime_and_error_budget(self):
        text = block("sla", FULL)
        # 0.1% of (1.16K + 116K requests/s) × 2,592,000 s
        assert "| 99.9% | 43.2 min | 8.76 h | 303M of 303B requests |" in text

    def test_the_error_budget_counts_the_slo_path(self):
        text = block("sla", {**FULL, "slo-requests": "185/s"})
        assert "| 99.9% | 43.2 min | 8.76 h | 480K of 480M requests |" in text

    def test_latency_budget_table(self):
        text = block("sla", FULL)
        assert "| Edge (CDN, TLS) | 20% | 40 ms |" in text
        assert "| Cache / database | 30% | 60 ms |" in text
        assert "| **p99 target** | 100% | **200 ms** |" in text

    def test_four_nines_warns_about_manual_failover(self):
        assert "automatic failover" in block("sla", {"availability": "99.99%"})

    def test_without_targets_it_says_what_to_add(self):
        assert "Add `availability: 99.95%`" in block("sla", {})


class TestGrowthBlock:
    def test_projection_table(self):
        text = block("growth", FULL)
        assert "| Figure | Now | 1 year (+40%/y) | 3 years | 10× | 100× |" in text
        assert "| Daily active users (capped) | 100M | 140M | 274M | 1B | 5.5B |" in text
        assert "| Cache |" in text

    def test_a_given_cache_size_is_not_scaled_with_traffic(self):
        text = block("growth", {**FULL, "cache-size": "20 GB"})
        assert "| Cache |" not in text and "cache-size is given" in text

    def test_first_thing_that_breaks(self):
        text = block("growth", {"writes": "2500/s", "write-size": "10 B", "growth": "40%/year"})
        assert ("> [!warning] First to break: writes on one primary database (~10K/s) at 2× today "
                "(5K/s, in 2.06 years at 40%/year) → shard writes by key") in text
        assert "| Writes on one primary database | 5K/s | ~10K/s | 2× | in 2.06 years |" in text

    def test_without_growth_the_year_columns_are_dashes(self):
        text = block("growth", {"writes": "100/s"})
        assert "Add `growth: 40%/year`" in text
        assert "| Peak writes | 200/s | — | — | 2K/s | 20K/s |" in text


class TestCostBlock:
    def test_lines_with_formulas_and_total(self):
        text = block("cost", FULL)
        assert "| Line (azure) | Formula | Monthly |" in text
        assert "| App instances | " in text and "× $140.16/instance-month |" in text
        assert "| **Total per month** |" in text

    def test_prices_source_and_date_are_named(self):
        text = block("cost", FULL)
        assert "**Prices from [[Cloud Prices]]**" in text
        assert "as of 2024-08-30" in text

    def test_missing_price_shows_a_dash_and_a_warning(self):
        text = block("cost", FULL, PriceTable())
        compute = next(line for line in text.splitlines() if line.startswith("| App instances |"))
        assert compute.endswith(" instances × (no price) | — |")
        assert "> [!warning] no price for `vm` (azure)" in text
        assert "| **Total per month** |   | **—** |" in text


class TestSummaryBlock:
    def test_headline_figures(self):
        text = block("summary", TWITTER)
        assert "| Headline | Value |" in text
        assert "| Daily active users | 150M |" in text
        assert "| Storage over 5 years | 54.9 PB |" in text

    def test_labels_in_the_topics_words(self):
        props = {**TWITTER, "read-write-ratio": "10:1", "users-are": "riders", "writes-are": "location pings", "reads-are": "rider pushes"}
        text = block("summary", props)
        assert "| Daily active riders | 150M |" in text
        assert "| Peak location pings / rider pushes |" in text and "Peak QPS" not in text
        assert "| Location pings (average / peak) |" in block("capacity", props)
        assert "| Daily active riders (capped) |" in block("growth", {**props, "growth": "40%/year"})
        pods = {**props, "instances-are": "gateway pods"}
        assert "| Gateway pods | 110 |" in block("summary", pods)
        assert "| Gateway pods at peak | 110 |" in block("capacity", pods)
        assert "| Gateway pods | 110 instances × $" in block("cost", pods)

    def test_writes_alone_show_no_empty_users_or_reads(self):
        text = block("summary", {"writes": "1B/month", "writes-are": "pages fetched"})
        assert "| Peak pages fetched | 772/s |" in text and "Daily active" not in text

    def test_a_label_that_is_not_a_short_phrase_is_a_problem(self):
        report = build_report({**TWITTER, "users-are": "x" * 41}, "Topic")
        assert any(p.key == "users-are" for p in report.problems)
        assert "| Daily active users | 150M |" in render("summary", report)

    def test_points_to_unreadable_properties(self):
        assert "Could not read `dau`" in block("summary", {"dau": "lots"})


def test_unknown_block_is_an_error():
    with pytest.raises(ValueError):
        block("diagram", {})


@pytest.mark.parametrize("name", sorted(BLOCKS))
@pytest.mark.parametrize("props", [{}, TWITTER, FULL, {"dau": "lots", "cloud": "gcp"}])
def test_text_uses_newlines_and_ends_with_one(name, props):
    text = block(name, props)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\n\n\n" not in text


@settings(max_examples=60, deadline=None)
@given(props=st.dictionaries(st.sampled_from(sorted(FULL) + ["mau", "media-share", "reads"]),
                             st.one_of(st.none(), st.text(max_size=8), st.integers(), st.floats()),
                             max_size=6))
def test_every_block_renders_any_properties(props):
    report = build_report(props, "T")
    for name in BLOCKS:
        text = render(name, report)
        assert text.endswith("\n") and not text.endswith("\n\n")
