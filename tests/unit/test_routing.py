"""Address routing: every address of DESIGN.md's table, case-insensitive, and nothing else."""

from __future__ import annotations

import pytest

from forum.mail.routing import AddressBook, Route, list_address, route

BOOK = AddressBook(
    lists=frozenset({("thpt", "moet.example"), ("thcs", "moet.example")}),
    aliases={("dangky-thpt", "moet.example"): "thpt"},
    noreply="noreply@moet.example",
)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("thpt@moet.example", Route("post", "thpt")),
        ("THPT@Moet.Example", Route("post", "thpt")),
        ("<thpt@moet.example>", Route("post", "thpt")),
        ("dangky-THPT@moet.example", Route("join", "thpt")),
        ("thpt-join@moet.example", Route("join", "thpt")),
        ("thpt-subscribe@moet.example", Route("join", "thpt")),
        ("thpt-leave@moet.example", Route("leave", "thpt")),
        ("thpt-unsubscribe@moet.example", Route("leave", "thpt")),
        ("thpt-request@moet.example", Route("request", "thpt")),
        ("thpt-owner@moet.example", Route("owner", "thpt")),
        ("thpt-bounces@moet.example", Route("bounces", "thpt")),
        (
            "thpt-bounces+User=School.edu.vn@moet.example",
            Route("bounces", "thpt", "User=School.edu.vn"),
        ),
        ("thpt-confirm+AbC123@moet.example", Route("confirm", "thpt", "AbC123")),
        ("NoReply@moet.example", Route("noreply", None)),
    ],
)
def test_list_addresses_route_to_their_action(address: str, expected: Route) -> None:
    assert route(address, BOOK) == expected


@pytest.mark.parametrize(
    "address",
    [
        "someone@elsewhere.example",  # no open relay
        "thpt@other.example",  # right name, wrong domain
        "nosuch@moet.example",
        "nosuch-join@moet.example",
        "thpt-admin@moet.example",
        "thpt+tag@moet.example",  # only confirm and bounces take a "+" part
        "thpt-join+x@moet.example",
        "dangky-thcs@moet.example",  # aliases are only those configured
        "not an address",
        "@moet.example",
        "",
    ],
)
def test_anything_else_is_refused(address: str) -> None:
    assert route(address, BOOK) is None


def test_list_address_is_the_inverse_of_route() -> None:
    for action in ("post", "join", "leave", "request", "owner", "bounces"):
        address = list_address("thpt", "moet.example", action)
        assert route(address, BOOK) == Route(action, "thpt")
    assert list_address("thpt", "moet.example", "confirm", "tok") == "thpt-confirm+tok@moet.example"
