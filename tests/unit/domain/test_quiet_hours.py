"""Quiet hours in the shop's time zone, including the days Europe/Warsaw changes its clocks."""
from datetime import datetime, timezone

import pytest

from crisisdesk.domain.quiet_hours import is_quiet, next_allowed_send


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("moment", [
    utc(2026, 11, 22, 7, 0),  # 08:00 in Warsaw (CET, +1): the first allowed minute
    utc(2026, 11, 22, 12, 0),
    utc(2026, 11, 22, 19, 59),  # 20:59 local
])
def test_it_leaves_a_daytime_moment_alone(moment):
    assert next_allowed_send(moment, "Europe/Warsaw", 21, 8) == moment
    assert not is_quiet(moment, "Europe/Warsaw", 21, 8)


def test_it_moves_an_evening_moment_to_eight_the_next_morning():
    # 22:30 in Warsaw on 22 November → 08:00 on the 23rd = 07:00 UTC.
    assert next_allowed_send(utc(2026, 11, 22, 21, 30), "Europe/Warsaw", 21, 8) == utc(2026, 11, 23, 7, 0)


def test_it_moves_the_first_quiet_minute_too():
    assert next_allowed_send(utc(2026, 11, 22, 20, 0), "Europe/Warsaw", 21, 8) == utc(2026, 11, 23, 7, 0)


def test_it_moves_an_early_morning_moment_to_eight_the_same_day():
    # 03:15 in Warsaw → 08:00 the same day.
    assert next_allowed_send(utc(2026, 11, 23, 2, 15), "Europe/Warsaw", 21, 8) == utc(2026, 11, 23, 7, 0)


def test_it_uses_the_defaults_of_nine_in_the_evening_to_eight_in_the_morning():
    assert next_allowed_send(utc(2026, 11, 22, 23, 0), "Europe/Warsaw") == utc(2026, 11, 23, 7, 0)


def test_it_handles_quiet_hours_that_do_not_cross_midnight():
    # Quiet from 12 to 14 (a lunch break) in UTC.
    assert next_allowed_send(utc(2026, 11, 22, 12, 30), "UTC", 12, 14) == utc(2026, 11, 22, 14, 0)
    assert next_allowed_send(utc(2026, 11, 22, 14, 0), "UTC", 12, 14) == utc(2026, 11, 22, 14, 0)
    assert next_allowed_send(utc(2026, 11, 22, 23, 0), "UTC", 12, 14) == utc(2026, 11, 22, 23, 0)


def test_it_has_no_quiet_hours_when_start_equals_end():
    moment = utc(2026, 11, 22, 2, 0)
    assert next_allowed_send(moment, "Europe/Warsaw", 0, 0) == moment
    assert next_allowed_send(moment, "Europe/Warsaw", 22, 22) == moment


def test_it_returns_utc_whatever_zone_the_moment_came_in():
    from zoneinfo import ZoneInfo

    local = datetime(2026, 11, 22, 23, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    result = next_allowed_send(local, "Europe/Warsaw", 21, 8)
    assert result == utc(2026, 11, 23, 7, 0) and result.tzinfo == timezone.utc


# --- Europe/Warsaw's clock changes ---------------------------------------------------------------------------

def test_it_ends_the_night_of_the_spring_change_at_eight_summer_time():
    # 29 March 2026: 02:00 CET jumps to 03:00 CEST. 23:00 CET on the 28th → 08:00 CEST on the 29th = 06:00 UTC.
    assert next_allowed_send(utc(2026, 3, 28, 22, 0), "Europe/Warsaw", 21, 8) == utc(2026, 3, 29, 6, 0)


def test_it_ends_the_night_of_the_autumn_change_at_eight_winter_time():
    # 25 October 2026: 03:00 CEST falls back to 02:00 CET. 23:00 CEST on the 24th → 08:00 CET = 07:00 UTC.
    assert next_allowed_send(utc(2026, 10, 24, 21, 0), "Europe/Warsaw", 21, 8) == utc(2026, 10, 25, 7, 0)


def test_it_treats_both_passes_of_the_repeated_autumn_hour_as_night():
    first_pass = utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    second_pass = utc(2026, 10, 25, 1, 30)  # 02:30 CET, an hour later
    assert next_allowed_send(first_pass, "Europe/Warsaw", 21, 8) == utc(2026, 10, 25, 7, 0)
    assert next_allowed_send(second_pass, "Europe/Warsaw", 21, 8) == utc(2026, 10, 25, 7, 0)


def test_it_ends_quiet_hours_at_the_first_instant_after_a_skipped_end_hour():
    # Quiet until 02:00, which does not exist on 29 March 2026: the quiet span ends when the clock
    # jumps, at 03:00 CEST = 01:00 UTC.
    assert next_allowed_send(utc(2026, 3, 29, 0, 30), "Europe/Warsaw", 21, 2) == utc(2026, 3, 29, 1, 0)


def test_it_is_not_quiet_after_the_spring_jump():
    moment = utc(2026, 3, 29, 1, 0)  # 03:00 CEST
    assert next_allowed_send(moment, "Europe/Warsaw", 21, 2) == moment


def test_it_ends_quiet_hours_at_the_first_pass_of_a_repeated_end_hour():
    # Quiet until 02:00 on 25 October 2026: 02:00 happens twice; the first (CEST, 00:00 UTC) counts.
    assert next_allowed_send(utc(2026, 10, 24, 23, 30), "Europe/Warsaw", 21, 2) == utc(2026, 10, 25, 0, 0)


# --- bad input ----------------------------------------------------------------------------------------------

def test_it_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        next_allowed_send(datetime(2026, 11, 22, 12, 0), "UTC", 21, 8)


@pytest.mark.parametrize("hours", [(24, 8), (21, -1)])
def test_it_refuses_hours_outside_the_day(hours):
    with pytest.raises(ValueError):
        next_allowed_send(utc(2026, 11, 22, 12, 0), "UTC", *hours)
