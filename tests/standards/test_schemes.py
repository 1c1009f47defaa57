"""The built-in CCSS and NGSS grammars: spellings, canonical forms, URIs, rejections."""

from __future__ import annotations

import pytest

from portfolio_gen.standards.schemes import (
    BANDS,
    band_for_grade,
    code_from_url,
    explain_code,
    grade_range,
    grade_sort_key,
    looks_like_code,
    parse_code,
    repairs,
)

# Every example in docs/standards.md (the shared facts): code -> URI.
STANDARDS_MD_TABLE = [
    ("CCSS.Math.Content.7.RP.A.2", "http://corestandards.org/Math/Content/7/RP/A/2"),
    ("CCSS.Math.Content.7.RP.A.2a", "http://corestandards.org/Math/Content/7/RP/A/2/a"),
    ("CCSS.Math.Content.HSA-SSE.A.1", "http://corestandards.org/Math/Content/HSA/SSE/A/1"),
    ("CCSS.Math.Practice.MP4", "http://corestandards.org/Math/Practice/MP4"),
    ("CCSS.ELA-Literacy.W.8.6", "http://corestandards.org/ELA-Literacy/W/8/6"),
    ("CCSS.ELA-Literacy.RST.6-8.3", "http://corestandards.org/ELA-Literacy/RST/6-8/3"),
]


@pytest.mark.parametrize(("canonical", "url"), STANDARDS_MD_TABLE)
def test_documented_codes_map_to_their_uri_and_back(canonical: str, url: str) -> None:
    code = parse_code(canonical)
    assert code is not None
    assert code.canonical == canonical
    assert code.url == url
    assert code.scheme == "CCSS"
    back = code_from_url(url)
    assert back is not None and back.canonical == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # the case variants standards.md names
        ("CCSS.MATH.CONTENT.7.RP.A.2", "CCSS.Math.Content.7.RP.A.2"),
        ("ccss.math.content.7.rp.a.2", "CCSS.Math.Content.7.RP.A.2"),
        ("CcSs.MaTh.CoNtEnT.7.Rp.A.2", "CCSS.Math.Content.7.RP.A.2"),
        ("7.RP.A.2", "CCSS.Math.Content.7.RP.A.2"),
        ("  7.rp.a.2  ", "CCSS.Math.Content.7.RP.A.2"),
        ("CCSS.7.RP.A.2", "CCSS.Math.Content.7.RP.A.2"),
        ("CCSS Math.Content.7.RP.A.2", "CCSS.Math.Content.7.RP.A.2"),
        # components: 2a, 2.a, 2A
        ("7.RP.A.2a", "CCSS.Math.Content.7.RP.A.2a"),
        ("7.RP.A.2.a", "CCSS.Math.Content.7.RP.A.2a"),
        ("CCSS.MATH.CONTENT.7.RP.A.2.A", "CCSS.Math.Content.7.RP.A.2a"),
        ("K.CC.A.1", "CCSS.Math.Content.K.CC.A.1"),
        ("k.cc.a.1", "CCSS.Math.Content.K.CC.A.1"),
        ("3.NF.A.1", "CCSS.Math.Content.3.NF.A.1"),
        ("8.F.B.4", "CCSS.Math.Content.8.F.B.4"),
        ("6.NS.C.7d", "CCSS.Math.Content.6.NS.C.7d"),
        # high school: hyphen, dot, and without the HS prefix
        ("HSA-SSE.A.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("HSA.SSE.A.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("hsa.sse.a.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("CCSS.Math.Content.HSA.SSE.A.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("A-SSE.A.1", "CCSS.Math.Content.HSA-SSE.A.1"),
        ("HSS-CP.B.9", "CCSS.Math.Content.HSS-CP.B.9"),
        ("HSF-IF.C.7e", "CCSS.Math.Content.HSF-IF.C.7e"),
        ("HSG-CO.D.13", "CCSS.Math.Content.HSG-CO.D.13"),
        ("hsn-rn.a.1", "CCSS.Math.Content.HSN-RN.A.1"),
        # practices
        ("MP4", "CCSS.Math.Practice.MP4"),
        ("mp.4", "CCSS.Math.Practice.MP4"),
        ("CCSS.MATH.PRACTICE.MP1", "CCSS.Math.Practice.MP1"),
        ("CCSS.Math.Practice.MP8", "CCSS.Math.Practice.MP8"),
        # ELA/Literacy
        ("W.8.6", "CCSS.ELA-Literacy.W.8.6"),
        ("w.8.6", "CCSS.ELA-Literacy.W.8.6"),
        ("CCSS.ELA-LITERACY.W.8.6", "CCSS.ELA-Literacy.W.8.6"),
        ("ccss.ela-literacy.w.8.6", "CCSS.ELA-Literacy.W.8.6"),
        ("CCSS.ELA.W.8.6", "CCSS.ELA-Literacy.W.8.6"),
        ("RST.6-8.3", "CCSS.ELA-Literacy.RST.6-8.3"),
        ("rst.6-8.3", "CCSS.ELA-Literacy.RST.6-8.3"),
        ("RL.K.1", "CCSS.ELA-Literacy.RL.K.1"),
        ("RI.9-10.8", "CCSS.ELA-Literacy.RI.9-10.8"),
        ("SL.11-12.4", "CCSS.ELA-Literacy.SL.11-12.4"),
        ("RF.3.3a", "CCSS.ELA-Literacy.RF.3.3a"),
        ("W.8.1.a", "CCSS.ELA-Literacy.W.8.1a"),
        ("L.4.1g", "CCSS.ELA-Literacy.L.4.1g"),
        ("WHST.9-10.7", "CCSS.ELA-Literacy.WHST.9-10.7"),
        ("RH.6-8.2", "CCSS.ELA-Literacy.RH.6-8.2"),
        ("CCRA.R.1", "CCSS.ELA-Literacy.CCRA.R.1"),
        ("ccra.sl.6", "CCSS.ELA-Literacy.CCRA.SL.6"),
        ("CCSS.ELA-Literacy.CCRA.W.10", "CCSS.ELA-Literacy.CCRA.W.10"),
        # NGSS
        ("K-PS2-1", "K-PS2-1"),
        ("k-ps2-1", "K-PS2-1"),
        ("3-5-ETS1-2", "3-5-ETS1-2"),
        ("K-2-ETS1-1", "K-2-ETS1-1"),
        ("MS-LS1-6", "MS-LS1-6"),
        ("ms-ls1-6", "MS-LS1-6"),
        ("HS-ETS1-2", "HS-ETS1-2"),
        ("Hs-Ets1-2", "HS-ETS1-2"),
        ("NGSS.HS-ETS1-2", "HS-ETS1-2"),
        ("NGSS HS-ETS1-2", "HS-ETS1-2"),
        ("4-PS3-2", "4-PS3-2"),
        ("HS-ESS2-7", "HS-ESS2-7"),
    ],
)
def test_spellings_give_the_canonical_form(text: str, canonical: str) -> None:
    code = parse_code(text)
    assert code is not None, text
    assert code.canonical == canonical


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "3.RP.A.1",  # RP is not taught in grade 3
        "K.NF.A.1",
        "8.RP.A.1",
        "5.EE.A.1",
        "9.RP.A.1",  # no grade 9 in K-8 math
        "7.XX.A.1",  # unknown domain
        "7.RP.E.1",  # cluster letters are A-D
        "7.RP.A.0",
        "7.RP.A.02",
        "7.RP.A.2z",  # component letters are a-j
        "HSF-SSE.A.1",  # SSE is an algebra domain
        "HSX-SSE.A.1",
        "MP0",
        "MP9",
        "W.9.1",  # grades 9-12 use the bands 9-10 / 11-12
        "W.6-8.1",  # W uses single grades through 8
        "RST.7.3",  # RST uses bands
        "RF.6.1",  # RF is K-5
        "SL.8.7",  # SL has 6 standards
        "L.3.7",
        "XY.8.1",
        "CCRA.X.1",
        "CCRA.SL.7",
        "K-PS1-1",  # no PS1 in kindergarten
        "1-PS1-1",
        "K-ETS1-1",  # ETS is written for bands
        "K-2-PS1-1",  # the K-2 band holds only ETS
        "6-LS1-1",  # NGSS middle school is MS
        "MS-PS5-1",
        "MS-ESS4-1",
        "MS-XS1-1",
        "HS-ETS1",
        "CCSS.Math.Content.W.8.6",  # a math prefix on an ELA code
        "CCSS.ELA-Literacy.7.RP.A.2",
        "NGSS.7.RP.A.2",
        "7.RP.A.2 extra",
        "HIVE.DESIGN.1",
    ],
)
def test_malformed_codes_are_rejected(text: str) -> None:
    assert parse_code(text) is None


def test_non_strings_are_rejected() -> None:
    assert parse_code(7.2) is None  # type: ignore[arg-type]
    assert parse_code(None) is None  # type: ignore[arg-type]
    assert code_from_url(None) is None  # type: ignore[arg-type]


def test_math_fields() -> None:
    code = parse_code("7.rp.a.2")
    assert code is not None
    assert code.framework == "CCSS Math"
    assert code.subject == "Math"
    assert code.grade == "7"
    assert code.band == "6-8"
    assert code.domain == "RP"
    assert code.short == "7.RP.A.2"
    assert code.item_type == "Standard"
    assert code.parent is None
    assert str(code) == "CCSS.Math.Content.7.RP.A.2"


def test_component_knows_its_standard() -> None:
    code = parse_code("7.RP.A.2a")
    assert code is not None
    assert code.item_type == "Component"
    assert code.parent == "CCSS.Math.Content.7.RP.A.2"
    assert code.short == "7.RP.A.2a"


def test_high_school_fields() -> None:
    code = parse_code("HSA.SSE.A.1")
    assert code is not None
    assert (code.grade, code.band, code.domain) == ("HS", "9-12", "HSA-SSE")
    assert code.short == "HSA-SSE.A.1"
    assert code.url == "http://corestandards.org/Math/Content/HSA/SSE/A/1"


def test_kindergarten_and_elementary_bands() -> None:
    k = parse_code("K.CC.A.1")
    four = parse_code("4.NBT.B.5")
    assert k is not None and four is not None
    assert (k.grade, k.band) == ("K", "K-2")
    assert (four.grade, four.band) == ("4", "3-5")
    assert k.url == "http://corestandards.org/Math/Content/K/CC/A/1"


def test_practice_fields() -> None:
    code = parse_code("mp4")
    assert code is not None
    assert (code.subject, code.grade, code.band, code.item_type) == (
        "Math",
        "K-12",
        "K-12",
        "Practice",
    )


def test_ela_fields() -> None:
    w = parse_code("W.8.6")
    rst = parse_code("RST.6-8.3")
    band = parse_code("RL.11-12.1")
    anchor = parse_code("CCRA.R.1")
    component = parse_code("RF.3.3a")
    assert w is not None and rst is not None and band is not None and anchor is not None
    assert component is not None
    assert (w.framework, w.subject, w.grade, w.band, w.domain) == (
        "CCSS ELA/Literacy",
        "ELA/Literacy",
        "8",
        "6-8",
        "W",
    )
    assert (rst.grade, rst.band) == ("6-8", "6-8")
    assert (band.grade, band.band) == ("11-12", "9-12")
    assert (anchor.grade, anchor.band, anchor.item_type) == ("K-12", "K-12", "Anchor Standard")
    assert anchor.url == "http://corestandards.org/ELA-Literacy/CCRA/R/1"
    assert component.url == "http://corestandards.org/ELA-Literacy/RF/3/3/a"
    assert component.parent == "CCSS.ELA-Literacy.RF.3.3"


@pytest.mark.parametrize(
    ("text", "subject", "grade", "band", "domain"),
    [
        ("K-PS2-1", "Physical Science", "K", "K-2", "PS2"),
        ("3-5-ETS1-2", "Engineering", "3-5", "3-5", "ETS1"),
        ("K-2-ETS1-1", "Engineering", "K-2", "K-2", "ETS1"),
        ("MS-LS1-6", "Life Science", "MS", "6-8", "LS1"),
        ("HS-ETS1-2", "Engineering", "HS", "9-12", "ETS1"),
        ("HS-ESS2-7", "Earth and Space Science", "HS", "9-12", "ESS2"),
        ("4-PS3-2", "Physical Science", "4", "3-5", "PS3"),
        ("2-LS4-1", "Life Science", "2", "K-2", "LS4"),
    ],
)
def test_ngss_fields(text: str, subject: str, grade: str, band: str, domain: str) -> None:
    code = parse_code(text)
    assert code is not None
    assert (code.scheme, code.framework) == ("NGSS", "NGSS")
    assert (code.subject, code.grade, code.band, code.domain) == (subject, grade, band, domain)
    assert code.url is None
    assert code.item_type == "Performance Expectation"


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.corestandards.org/Math/Content/7/RP/A/2/", "CCSS.Math.Content.7.RP.A.2"),
        ("http://www.corestandards.org/math/content/7/rp/a/2/a", "CCSS.Math.Content.7.RP.A.2a"),
        ("http://corestandards.org/Math/Content/HSS/CP/B/9", "CCSS.Math.Content.HSS-CP.B.9"),
        ("http://corestandards.org/ELA-Literacy/CCRA/R/1/", "CCSS.ELA-Literacy.CCRA.R.1"),
        ("http://corestandards.org/ELA-Literacy/W/8/1/a", "CCSS.ELA-Literacy.W.8.1a"),
        ("http://corestandards.org/Math/Practice/MP1", "CCSS.Math.Practice.MP1"),
        ("http://corestandards.org/Math/Content/K/CC/A/1?ref=x", "CCSS.Math.Content.K.CC.A.1"),
    ],
)
def test_code_from_url(url: str, canonical: str) -> None:
    code = code_from_url(url)
    assert code is not None
    assert code.canonical == canonical


@pytest.mark.parametrize(
    "url",
    [
        "http://corestandards.org/Math/Content/3/RP/A/1",  # not a grade 3 domain
        "http://corestandards.org/ELA-Literacy/",
        "http://corestandards.org/about-the-standards/",
        "https://example.org/Math/Content/7/RP/A/2",
        "7.RP.A.2",
    ],
)
def test_code_from_url_rejects_other_urls(url: str) -> None:
    assert code_from_url(url) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("3.RP.A.1", "RP is not a grade 3 math domain (grade 3: OA, NBT, NF, MD, G)"),
        ("7.RP.9", "CCSS Math codes name the cluster letter after the domain, e.g. 7.RP.A.9"),
        ("7.RP.E.1", "cluster letters are A-D, not E"),
        ("HSF-SSE.A.1", "SSE is not a domain of HSF (HSF: IF, BF, LE, TF)"),
        ("MP9", "Mathematical Practices are numbered 1-8"),
        ("RF.6.1", "RF is written for grades K-5, not 6"),
        ("SL.8.7", "SL standards are numbered 1-6"),
        ("RST.7.3", "RST is written for the bands 6-8, 9-10 and 11-12, not 7"),
        ("K-PS1-1", "NGSS has no PS1 expectations in kindergarten (K: PS2, PS3, LS1, ESS2, ESS3)"),
        ("K-2-PS1-1", "the K-2 band holds only engineering (ETS) expectations"),
        ("6-LS1-1", "6 is not an NGSS grade (K, 1-5, K-2, 3-5, MS, HS)"),
        ("MS-ESS4-1", "ESS4 is not an NGSS core idea (ESS1-ESS3)"),
    ],
)
def test_explain_code_says_why(text: str, reason: str) -> None:
    assert explain_code(text) == reason


def test_explain_code_is_silent_for_valid_codes_and_plain_words() -> None:
    assert explain_code("7.RP.A.2") is None
    assert explain_code("HIVE.DESIGN.1") is None
    assert explain_code("robots") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HS.ETS1.2", ["HS-ETS1-2"]),
        ("MS LS1 6", ["MS-LS1-6"]),
        ("7-RP-A-2", ["CCSS.Math.Content.7.RP.A.2"]),
        ("RST.6.8.3", ["CCSS.ELA-Literacy.RST.6-8.3"]),
        ("3-5.ETS1.2", ["3-5-ETS1-2"]),
        ("HSA SSE A 1", ["CCSS.Math.Content.HSA-SSE.A.1"]),
    ],
)
def test_repairs_fix_separators(text: str, expected: list[str]) -> None:
    assert repairs(text) == expected


def test_repairs_offer_cluster_letters_for_old_notation() -> None:
    assert repairs("7.RP.2")[:2] == ["CCSS.Math.Content.7.RP.A.2", "CCSS.Math.Content.7.RP.B.2"]
    assert repairs("nonsense words") == []


@pytest.mark.parametrize(
    ("grade", "band"),
    [
        ("K", "K-2"),
        ("2", "K-2"),
        ("3", "3-5"),
        ("07", "6-8"),
        ("6-8", "6-8"),
        ("MS", "6-8"),
        ("HS", "9-12"),
        ("9-10", "9-12"),
        ("11-12", "9-12"),
        ("6-12", "6-12"),
        ("K-12", "K-12"),
        ("5-6", "3-8"),
        ("adult", None),
        ("", None),
        (None, None),
        ("8-6", None),
    ],
)
def test_band_for_grade(grade: str | None, band: str | None) -> None:
    assert band_for_grade(grade) == band


def test_grade_sort_key_orders_by_school_year() -> None:
    grades = ["HS", "adult", "K", "11-12", "7", "6-8", "K-12", "3-5", "10"]
    ordered = sorted(grades, key=grade_sort_key)
    assert ordered == ["K", "K-12", "3-5", "6-8", "7", "HS", "10", "11-12", "adult"]
    assert sorted(BANDS, key=grade_sort_key) == ["K-2", "K-12", "3-5", "6-8", "9-12"]
    assert grade_range("MS") == (6, 8)
    assert grade_range("K") == (0, 0)


def test_looks_like_code() -> None:
    assert looks_like_code("7.RP.A.2")
    assert looks_like_code("HS-ETS1-2")
    assert not looks_like_code("ratios and rates")
    assert not looks_like_code("robots")
