"""URL state: parse and serialise are inverse, defaults stay out of the URL, junk is ignored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard.state import DEFAULT, LEVELS, TREES, Filters, href, parse, serialise

codes = st.from_regex(r"[A-Za-z0-9_]{1,12}", fullmatch=True)
periods = st.one_of(st.none(), st.from_regex(r"20[0-9]{2}(-(0[1-9]|1[0-2]))?", fullmatch=True))


@given(
    program=codes,
    period=periods,
    level=st.one_of(st.none(), st.sampled_from(LEVELS)),
    province=st.one_of(st.none(), codes),
    indicator=st.one_of(st.none(), codes),
    tree=st.sampled_from(TREES),
    red=st.one_of(st.none(), codes),
    microred=st.one_of(st.none(), codes),
    lang=st.sampled_from(["es", "en"]),
)
def test_round_trip(program, period, level, province, indicator, tree, red, microred, lang):
    f = Filters(
        program=program,
        period=period,
        level=level,
        province=province,
        indicator=indicator,
        tree=tree,
        red=red,
        microred=microred,
        lang=lang,
    )
    assert parse(serialise(f)) == f


def test_the_tree_is_in_the_url_and_territory_by_default():
    assert serialise(Filters(tree="red", red="13_01")) == "?arbol=red&red=13_01"
    assert parse("?arbol=red&microred=13_01_07") == Filters(tree="red", microred="13_01_07")
    assert parse("?arbol=otro").tree == "territorio"


def test_defaults_make_an_empty_query_and_keys_are_spanish():
    assert serialise(DEFAULT) == ""
    assert serialise(Filters(period="2026-09", level="product")) == "?periodo=2026-09&nivel=product"
    assert href("/region/08", Filters(lang="en"), province="0801") == "/region/08?provincia=0801&lang=en"


def test_a_region_singled_out_on_a_page_of_every_region_is_in_the_url():
    assert serialise(Filters(period="2026-09", region="09")) == "?periodo=2026-09&region=09"
    assert parse("?region=lm").region == "LM"
    assert parse("?region=090").region is None


def test_malformed_values_are_ignored():
    f = parse("?periodo=2026-13&nivel=everything&lang=fr&programa=0001;drop&region=x")
    assert f == DEFAULT
