"""Reading a member CSV: columns with or without a header (English or Vietnamese), commas or
semicolons, a BOM, address and role checks, duplicates, line numbers; no database."""

from __future__ import annotations

import pytest

from forum.lists.roster import CsvRow, parse_member_csv, parse_role


def test_rows_without_a_header_are_email_name_unit_role() -> None:
    preview = parse_member_csv("lan@truong.vn,Nguyễn Thị Lan,THPT A,owner\nbinh@truong.vn\n")
    assert preview.errors == ()
    assert preview.rows == (
        CsvRow(1, "lan@truong.vn", "Nguyễn Thị Lan", "THPT A", "owner", False),
        CsvRow(2, "binh@truong.vn"),
    )


def test_a_vietnamese_header_in_any_order_with_semicolons_and_a_bom() -> None:
    text = "\ufeffVai trò;Email;Họ tên;ĐƠN VỊ\r\nđầu mối;lan@truong.vn;Lan;THPT A\r\n"
    (row,) = parse_member_csv(text).rows
    assert row == CsvRow(2, "lan@truong.vn", "Lan", "THPT A", "member", True)


def test_an_english_header_is_case_insensitive_and_extra_columns_are_ignored() -> None:
    text = "EMAIL,Name,Unit,Role,delivery_mode,bounce_score\nlan@truong.vn,Lan,A,Moderator,all,0\n"
    (row,) = parse_member_csv(text).rows
    assert (row.line, row.email, row.role) == (2, "lan@truong.vn", "moderator")


def test_a_comma_inside_quotes_does_not_split_the_name() -> None:
    (row,) = parse_member_csv('lan@truong.vn,"Nguyễn Lan, Hiệu trưởng",A\n').rows
    assert row.name == "Nguyễn Lan, Hiệu trưởng"


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Lan@ĐẠI-HỌC.VN", "Lan@đại-học.vn"),
        ("lan@xn--i-hc-zua2256b5ia.vn", "lan@đại-học.vn"),
        (" lan@Truong.EDU.vn ", "lan@truong.edu.vn"),
        ("lan.nguyen+thpt@truong.vn", "lan.nguyen+thpt@truong.vn"),
    ],
)
def test_domains_are_lowercased_in_unicode_form(written: str, stored: str) -> None:
    (row,) = parse_member_csv(f"{written},Lan\n").rows
    assert row.email == stored


@pytest.mark.parametrize(
    "written",
    [
        "not-an-address",
        "lan@",
        "@truong.vn",
        "lan nguyen@truong.vn",
        "lan@@truong.vn",
        "lan@truong@vn.vn",
        "lan..nguyen@truong.vn",
        "lan@localhost",
        "lan@-truong.vn",
        "lan@truong.123",
        "lan@[192.0.2.1]",
        "<lan@truong.vn>",
        "Lan <lan@truong.vn>",
        '"lan nguyen"@truong.vn',
        "a@b.vn;c@d.vn",
        "x" * 65 + "@truong.vn",
    ],
)
def test_addresses_that_cannot_be_mailed_are_refused(written: str) -> None:
    quoted = written.replace('"', '""')
    preview = parse_member_csv(f'"{quoted}",Lan\n')
    assert preview.rows == ()
    (error,) = preview.errors
    assert (error.line, error.text, error.code) == (1, written, "bad_address")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("", ("member", False)),
        ("Member", ("member", False)),
        ("owner", ("owner", False)),
        ("focal", ("member", True)),
        ("Focal point", ("member", True)),
        ("moderator+focal", ("moderator", True)),
        ("Chủ nhóm / đầu mối", ("owner", True)),
        ("thành viên", ("member", False)),
        ("chief", None),
        ("owner+moderator", None),
        ("owner+", None),
    ],
)
def test_roles(written: str, expected: tuple[str, bool] | None) -> None:
    assert parse_role(written) == expected


def test_errors_carry_their_line_numbers_counting_blank_and_multiline_rows() -> None:
    text = (
        "email,name,unit,role\n"  # 1
        "good@x.vn,Good\n"  # 2
        "\n"  # 3
        'multi@x.vn,"two\nlines"\n'  # 4-5
        "bad,,,\n"  # 6
        "role@x.vn,,,chief\n"  # 7
        "GOOD@X.VN,again\n"  # 8
        ",Nobody,Unit A\n"  # 9
        "last@x.vn\n"  # 10
    )
    preview = parse_member_csv(text)
    assert [row.line for row in preview.rows] == [2, 10]
    found = [(e.line, e.code, e.text) for e in preview.errors]
    assert found == [
        (4, "bad_text", "multi@x.vn"),
        (6, "bad_address", "bad"),
        (7, "bad_role", "chief"),
        (8, "duplicate", "GOOD@x.vn"),
        (9, "no_email", "Nobody, Unit A"),
    ]
    duplicate = preview.errors[3]
    assert duplicate.first_line == 2
    assert "2" in duplicate.reason
    assert all(error.reason for error in preview.errors)


def test_cells_escaped_against_formulas_read_back_as_they_were() -> None:
    (row,) = parse_member_csv("'-dash@x.vn,'=1+1,'@unit,owner\n").rows
    assert (row.email, row.name, row.unit) == ("-dash@x.vn", "=1+1", "@unit")
    assert parse_member_csv("a@x.vn,'Lan\n").rows[0].name == "'Lan"


def test_names_and_units_that_are_too_long_are_refused() -> None:
    (error,) = parse_member_csv(f"a@x.vn,{'n' * 201}\n").errors
    assert error.code == "bad_text"


def test_an_empty_file_gives_an_empty_preview() -> None:
    assert parse_member_csv("") == parse_member_csv("\ufeff\n\n") == parse_member_csv("email\n")
    assert parse_member_csv("").rows == ()
    assert parse_member_csv("").errors == ()


def test_thousands_of_rows_are_all_checked() -> None:
    """(Speed is measured by benches, never asserted by a test on a shared machine.)"""
    rows = "".join(
        f"user{i}@truong{i % 97}.edu.vn;Người số {i};Trường {i % 97};\n" for i in range(3000)
    )
    preview = parse_member_csv("email;họ tên;đơn vị;vai trò\n" + rows)
    assert (len(preview.rows), preview.errors) == (3000, ())
