"""The load profile: every phase of a real load is timed once, and the phases add up to the load's time."""

from __future__ import annotations

from tests.conftest import load, write
from warehouse.phases import phase, profiled

LOAD_PHASES = {"hash", "copy", "migrate", "reference", "read", "checks", "write", "marts", "statuses"}
LOAD_PHASES |= {"constraints", "record", "commit", "open", "close", "checkpoint", "fsync+rename", "other"}
LOAD_PHASES |= {"verify"}  # the warehouse read through and its raw constraints run before anything is written


def test_nested_phases_are_counted_once_in_their_own_name(monkeypatch):
    # A clock the test advances, so that a busy machine's late wake-ups cannot move the figures.
    now = [100.0]
    monkeypatch.setattr("warehouse.phases.time.perf_counter", lambda: now[0])

    def spend(seconds: float) -> None:
        now[0] += seconds

    with profiled() as p:
        with phase("outer"):
            spend(0.02)
            with phase("inner"):
                spend(0.05)
        with phase("outer"):
            spend(0.01)
    assert set(p.seconds) == {"outer", "inner"}
    assert abs(p.seconds["inner"] - 0.05) < 1e-9
    assert abs(p.seconds["outer"] - 0.03) < 1e-9  # 0.02 + 0.01, without the inner 0.05


def test_a_phase_outside_a_profile_records_nothing():
    with phase("alone"):
        pass
    with profiled() as p:
        pass
    assert p.seconds == {}


def test_a_load_reports_every_phase_and_they_add_up_to_its_time(territory_db, tmp_path):
    f = write(
        tmp_path / "his_2024_06.csv",
        "periodo,ubigeo,cod_ipress,indicador,numerador,denominador\n"
        "2024-06,010101,00010101,PAN_P_CRED,30,40\n"
        "2024-06,080101,00080101,PAN_P_CRED,5,10\n",
    )
    r = load(territory_db, "admin", f)
    assert r.status == "loaded"
    assert set(r.phases) == LOAD_PHASES
    assert all(v >= 0 for v in r.phases.values())
    assert abs(sum(r.phases.values()) - r.seconds) < 0.01
    assert r.phases["other"] < 0.5 * r.seconds  # the phases name where the time goes


def test_a_refused_load_is_profiled_too(territory_db, tmp_path):
    f = write(tmp_path / "his.csv", "periodo,ubigeo,indicador,numerador,denominador\n2024-06,999999,X,1,0\n")
    r = load(territory_db, "admin", f)
    assert r.status == "refused"
    assert {"read", "checks"} <= set(r.phases) and "fsync+rename" in r.phases
    assert abs(sum(r.phases.values()) - r.seconds) < 0.01
