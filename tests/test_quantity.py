"""The quantity reader: every written form it promises, a Problem (never an
exception, never a guessed unit) for everything else."""

import math

import pytest
from hypothesis import given, settings, strategies as st

from vault_tools.problems import Problem
from vault_tools.capacity.quantity import (
    BYTES, DAY, FRACTION, MONTH, PER_USER_RATE, RATE, SECONDS, YEAR, Quantity, read_count, read_duration, read_factor, read_fraction, read_growth, read_latency, read_rate, read_ratio, read_size, read_throughput,
)
from vault_tools.capacity.show import (
    human_bytes, human_count, human_duration, human_money, human_percent, human_rate, significant,
)

READERS = (read_count, read_rate, read_size, read_duration, read_latency, read_fraction, read_ratio,
           read_factor, read_growth, read_throughput)


def value_of(reader, value, key="k"):
    result = reader(key, value)
    assert isinstance(result, Quantity), result
    return result.value


@pytest.mark.parametrize("written, expected", [
    ("100M", 100e6), ("1.5B", 1.5e9), (2_000_000, 2e6), ("10 million", 10e6), ("2,000,000", 2e6),
    ("10k", 10e3), ("3T", 3e12), ("300M users", 300e6), (1.5e6, 1.5e6), ("1e6", 1e6),
])
def test_counts_take_suffixes_and_words(written, expected):
    assert value_of(read_count, written) == pytest.approx(expected)


@pytest.mark.parametrize("written, per_second", [
    ("1000/s", 1000.0), ("60/min", 1.0), ("3600/hour", 1.0), ("100M/day", 100e6 / DAY),
    ("10M/month", 10e6 / MONTH), ("365/year", 365 / YEAR), ("1K qps", 1000.0), ("5 per hour", 5 / 3600),
])
def test_rates_become_per_second(written, per_second):
    rate = read_rate("writes", written)
    assert rate.unit == RATE
    assert rate.value == pytest.approx(per_second)


def test_per_user_rates_keep_the_period_and_need_dau():
    rate = read_rate("writes", "2/user/day")
    assert rate.unit == PER_USER_RATE
    assert rate.value == pytest.approx(2 / 86_400)
    assert rate.per == 86_400
    assert read_rate("writes", "2 per user per day").value == pytest.approx(rate.value)


def test_month_is_30_days_and_year_365():
    assert MONTH == 2_592_000
    assert YEAR == 31_536_000
    assert value_of(read_duration, "1 month") == 30 * DAY
    assert value_of(read_duration, "1 year") == 365 * DAY


@pytest.mark.parametrize("written, size", [
    ("500 B", 500), ("1MB", 1e6), ("2 KB", 2e3), ("1.27 KB", 1270), ("3 GB", 3e9), ("1 TB", 1e12),
    ("2 PB", 2e15), ("4 KiB", 4096), ("1 MiB", 1_048_576), ("1 GiB", 2**30), ("1 TiB", 2**40),
    ("1 PiB", 2**50), (500, 500), ("64 bytes", 64),
])
def test_sizes_are_decimal_unless_written_binary(written, size):
    result = read_size("write-size", written)
    assert result.unit == BYTES
    assert result.value == pytest.approx(size)


@pytest.mark.parametrize("written, seconds", [
    ("10 years", 10 * YEAR), ("5y", 5 * YEAR), ("6 months", 6 * MONTH), ("30 days", 30 * DAY),
    ("90d", 90 * DAY), ("2 weeks", 14 * DAY), ("1 yr", YEAR),
])
def test_durations(written, seconds):
    assert value_of(read_duration, written) == pytest.approx(seconds)


@pytest.mark.parametrize("written, seconds", [("200ms", 0.2), ("1s", 1.0), ("1.5 s", 1.5), ("500us", 5e-4)])
def test_latencies(written, seconds):
    result = read_latency("latency-p99", written)
    assert result.unit == SECONDS
    assert result.value == pytest.approx(seconds)


@pytest.mark.parametrize("written, fraction", [
    ("99.95%", 0.9995), ("10%", 0.1), (0.1, 0.1), ("0.5", 0.5), (1, 1.0), ("50 percent", 0.5), (10, 0.1),
])
def test_percentages_and_fractions(written, fraction):
    result = read_fraction("media-share", written)
    assert result.unit == FRACTION
    assert result.value == pytest.approx(fraction)


@pytest.mark.parametrize("written, ratio", [
    ("10:1", 10.0), ("100:1", 100.0), ("1:4", 0.25), (10, 10.0), ("3", 3.0),
])
def test_ratios(written, ratio):
    assert value_of(read_ratio, written) == pytest.approx(ratio)


@pytest.mark.parametrize("written, yearly", [
    ("40%/year", 0.4), ("40% per year", 0.4), ("2x/year", 1.0), ("10%/month", 1.1 ** (365 / 30) - 1),
    ("-10%/year", -0.1),
])
def test_growth_compounds_to_a_yearly_rate(written, yearly):
    assert value_of(read_growth, written) == pytest.approx(yearly)


@pytest.mark.parametrize("written, factor", [("2", 2.0), (2, 2.0), ("2x", 2.0), ("×3", 3.0), (1.5, 1.5)])
def test_factors(written, factor):
    assert value_of(read_factor, written) == factor


@pytest.mark.parametrize("written", ["1000", 1000, "1K", "1000/s", "1K rps"])
def test_server_throughput_is_per_second(written):
    assert value_of(read_throughput, written) == 1000.0


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("absent", [None, "", "   "])
def test_absent_values_are_none_not_problems(reader, absent):
    assert reader("k", absent) is None


# One unreadable value per kind: the Problem names the key, quotes the value
# found and gives an example of a valid value.
@pytest.mark.parametrize("reader, key, value, shown, example", [
    (read_count, "dau", "lots", "lots", "100M"),
    (read_count, "dau", "1,5", "1,5", "100M"),
    (read_count, "mau", True, "true", "300M"),
    (read_count, "dau", -5, "-5", "100M"),
    (read_rate, "writes", 1000, "1000", "100M/day"),
    (read_rate, "writes", "100M/fortnightish", "100M/fortnightish", "100M/day"),
    (read_rate, "reads", ["1B", "day"], "[1B, day]", "1B/day"),
    (read_size, "write-size", "small", "small", "500 B"),
    (read_size, "media-size", "1 MX", "1 MX", "1 MB"),
    (read_duration, "retention", 5, "5", "10 years"),
    (read_duration, "retention", "6m", "6m", "10 years"),
    (read_duration, "retention", "forever", "forever", "10 years"),
    (read_latency, "latency-p99", 200, "200", "200ms"),
    (read_latency, "latency-p99", "fast", "fast", "200ms"),
    (read_fraction, "availability", "150%", "150%", "99.95%"),
    (read_fraction, "media-share", "some", "some", "10%"),
    (read_fraction, "cache-hot", float("nan"), "nan", "20%"),
    (read_ratio, "read-write-ratio", "10:0", "10:0", '"10:1"'),
    (read_ratio, "read-write-ratio", "ten to one", "ten to one", '"10:1"'),
    (read_factor, "peak-factor", 0.5, "0.5", "2"),
    (read_factor, "replication", "many", "many", "3"),
    (read_growth, "growth", "40%", "40%", "40%/year"),
    (read_growth, "growth", "fast/year", "fast/year", "40%/year"),
    (read_throughput, "server-rps", 0, "0", "1000"),
    (read_count, "dau", {"a": 1}, "{a: 1}", "100M"),
])
def test_unreadable_values_are_problems_with_key_value_and_example(reader, key, value, shown, example):
    result = reader(key, value)
    assert isinstance(result, Problem)
    assert result.key == key
    assert result.kind == "property"
    assert result.path is None
    assert f'found "{shown}"' in result.message
    assert result.message.startswith(f"Could not read `{key}`")
    assert result.hint == f"e.g. {key}: {example}"


def test_huge_numbers_are_problems_not_infinities():
    assert isinstance(read_count("dau", 10**400), Problem)
    assert isinstance(read_count("dau", "1e300T"), Problem)
    assert isinstance(read_growth("growth", "1000%/day"), Problem)
    assert isinstance(read_count("dau", "9" * 500), Problem)


ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(value=ANY_VALUE, reader=st.sampled_from(READERS))
def test_the_reader_never_raises(value, reader):
    result = reader("k", value)
    assert result is None or isinstance(result, (Quantity, Problem))
    if isinstance(result, Quantity):
        assert math.isfinite(result.value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789.,:%/ KMBTkmbtxyusdaeiperhoninth-", max_size=20),
       reader=st.sampled_from(READERS))
def test_the_reader_never_raises_on_number_like_text(text, reader):
    result = reader("k", text)
    assert result is None or isinstance(result, (Quantity, Problem))
    if isinstance(result, Problem):
        assert result.key == "k" and result.hint.startswith("e.g. k: ")


@given(number=st.integers(min_value=1, max_value=10**12))
def test_a_count_written_with_a_suffix_reads_back(number):
    text = human_count(number)  # e.g. "3.47K"
    assert value_of(read_count, text) == pytest.approx(number, rel=0.006)


@pytest.mark.parametrize("number, text", [
    (3472.2, "3.47K"), (6944.4, "6.94K"), (150e6, "150M"), (3.858, "3.86"), (38.58, "38.6"),
    (999_600, "1M"), (0, "0"), (None, "—"), (1.5e9, "1.5B"),
])
def test_human_counts_use_three_significant_digits(number, text):
    assert human_count(number) == text


@pytest.mark.parametrize("size, text", [
    (54.75e15, "54.8 PB"), (1270, "1.27 KB"), (12.7e9, "12.7 GB"), (457.2e9, "457 GB"), (30e12, "30 TB"),
    (500, "500 B"), (999.95e9, "1 TB"), (None, "—"),
])
def test_human_bytes_are_decimal(size, text):
    assert human_bytes(size) == text


def test_instances_past_a_thousand_are_estimates():
    from vault_tools.capacity.show import human_instances
    assert human_instances(153) == "153" and human_instances(333_995) == "~334K"


def test_other_human_units():
    assert human_rate(3472.2) == "3.47K/s"
    assert human_duration(2592) == "43.2 min"
    assert human_duration(31_536) == "8.76 h"
    assert human_duration(0.2) == "200 ms"
    assert human_duration(3 * YEAR) == "3 years"
    assert human_percent(0.9995) == "99.95%"
    assert human_percent(0.1) == "10%"
    assert human_money(12_345.6) == "$12.3K"
    assert human_money(9.81) == "$9.81"
    assert human_money(809.57) == "$810"
    assert human_money(432_996_159) == "$433M" and human_money(43_300_000) == "$43.3M"
    assert significant(3472.2) == "3,470"
    assert significant(0.038_61) == "0.0386"


@pytest.mark.parametrize("key, value, why", [
    ("dau", "0", "must be more than 0"), ("dau", -5, "must be more than 0"), ("dau", "1e30", "implausibly large"),
    ("read-write-ratio", "0:1", "must be more than 0"),
])
def test_zero_negative_and_absurd_values_say_why(key, value, why):
    reader = read_ratio if key == "read-write-ratio" else read_count
    found = reader(key, value)
    assert isinstance(found, Problem) and found.key == key and why in found.message and found.hint
