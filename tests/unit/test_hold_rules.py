"""Each hold rule with a case that holds and a case that does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forum.policy import Policy
from forum.posting.confidentiality import find_mark
from forum.posting.reasons import ReasonCode, for_the_log
from forum.posting.rules import Action, PostFacts, decide
from forum.posting.rules import looks_like_a_command as administrivia

NONMEMBER = ReasonCode.NONMEMBER


def hold_reasons(post: PostFacts, policy: Policy) -> list[str]:
    """The codes of the reasons the rules give (an empty list: the post goes out)."""
    decision = decide(post, policy)
    assert (decision.action is Action.ACCEPT) == (not decision.reasons)
    return [r.code for r in decision.reasons]


def reason_words(post: PostFacts, policy: Policy) -> str:
    return for_the_log(decide(post, policy).reasons)


MEMBER_POST = PostFacts(
    sender="lan@truong.edu.vn",
    is_member=True,
    is_moderator=False,
    previous_posts=5,
    size=2000,
    subject="Lịch họp tháng 12",
    text="Kính gửi các trường,\nLịch họp như sau.",
    to_and_cc=("thpt@moet.example",),
    list_addresses=("thpt@moet.example",),
)


def test_an_ordinary_member_post_is_not_held() -> None:
    assert hold_reasons(MEMBER_POST, Policy()) == []


def test_non_members_are_held_on_members_lists_only() -> None:
    stranger = replace(MEMBER_POST, is_member=False)
    assert hold_reasons(stranger, Policy()) == [NONMEMBER]
    assert hold_reasons(stranger, Policy(posting="open")) == []


def test_announce_lists_take_posts_from_moderators_and_accepted_senders_only() -> None:
    assert hold_reasons(MEMBER_POST, Policy(posting="announce"))
    assert hold_reasons(replace(MEMBER_POST, is_moderator=True), Policy(posting="announce")) == []


def test_new_members_first_posts_are_moderated() -> None:
    new = replace(MEMBER_POST, previous_posts=1)
    assert hold_reasons(new, Policy(moderate_first_posts=2)) == [ReasonCode.NEW_MEMBER]
    assert (
        hold_reasons(replace(MEMBER_POST, previous_posts=2), Policy(moderate_first_posts=2)) == []
    )


def test_size_and_attachment_type_limits() -> None:
    assert hold_reasons(replace(MEMBER_POST, size=3 * 1024 * 1024), Policy(max_message_kb=1024))
    assert hold_reasons(MEMBER_POST, Policy(max_message_kb=1024)) == []
    assert hold_reasons(replace(MEMBER_POST, attachment_names=("baocao.EXE",)), Policy())
    assert hold_reasons(replace(MEMBER_POST, attachment_names=("baocao.docx",)), Policy()) == []


def test_too_many_recipients_and_implicit_destination() -> None:
    crowd = tuple(f"p{i}@x.example" for i in range(12)) + ("thpt@moet.example",)
    assert "too many recipients" in reason_words(replace(MEMBER_POST, to_and_cc=crowd), Policy())
    bcc_only = replace(MEMBER_POST, to_and_cc=("someone@else.example",))
    assert hold_reasons(bcc_only, Policy()) == [ReasonCode.IMPLICIT_DESTINATION]
    assert hold_reasons(replace(MEMBER_POST, to_and_cc=("THPT@moet.example",)), Policy()) == []


def test_administrivia_sent_to_the_list_is_held() -> None:
    assert administrivia("unsubscribe", "")
    assert administrivia("Re: x", "Hủy đăng ký\n")
    assert not administrivia("Báo cáo đăng ký thi", "Kính gửi ... " * 60)


@pytest.mark.parametrize(
    ("subject", "text"),
    [
        ("[MẬT] Đề thi học kỳ", ""),
        ("Đề thi", "TUYỆT MẬT\n\nNội dung..."),
        ("tối mật - kế hoạch", ""),
        ("TOI MAT ke hoach", ""),
        ("Tuyệt  mật", ""),
        ("CONFIDENTIAL: budget", ""),
        ("Confidential", ""),
        ("[MAT] Ke hoach thi", ""),
        ("Kế hoạch", "MAT\nNội dung"),
        ("Đề cương", "Độ mật: Mật"),
        ("Đề thi", "Tài liệu mật, không phổ biến."),
        ("De thi", "M Ậ T"),
    ],
)
def test_confidentiality_marks_are_found(subject: str, text: str) -> None:
    assert find_mark(subject, text) is not None
    post = replace(MEMBER_POST, subject=subject, text=text)
    assert ReasonCode.CONFIDENTIAL in hold_reasons(post, Policy())
    assert "confidentiality" in reason_words(post, Policy())


@pytest.mark.parametrize(
    ("subject", "text"),
    [
        ("Mất điện chiều nay", "Trường bị mất điện."),
        ("Gặp mặt cuối năm", "Buổi gặp mặt."),
        ("Thời tiết mát mẻ", ""),
        ("Format the disk", "automatic matching in Matlab"),
        ("Đổi mật khẩu email", "Vui lòng đổi mật khẩu."),
        ("Mật độ học sinh", "Mật ong và mật thiết."),
        ("Giữ bí mật bất ngờ cho buổi lễ", ""),
        ("mat dien", "mat mat mat"),  # unaccented lower case: everyday words
        ("Matter of fact", "MATH class"),
        ("Tôi mất chìa khoá", "Hôm qua tôi mất ví."),
        ("toi mat chia khoa", "toi mat vi"),
    ],
)
def test_ordinary_words_are_not_confidentiality_marks(subject: str, text: str) -> None:
    assert find_mark(subject, text) is None


def test_a_marked_attachment_name_is_held() -> None:
    assert find_mark("Báo cáo", "", ["De-thi-TUYET-MAT.docx"]) is not None


def test_the_hold_reason_names_the_strongest_level_unless_the_list_turned_it_off() -> None:
    post = replace(MEMBER_POST, subject="MẬT - Kế hoạch", attachment_names=("De_TUYET_MAT.docx",))
    assert reason_words(post, Policy()).startswith("confidentiality mark: TUYỆT MẬT — in the")
    reasons = decide(post, Policy()).reasons
    assert reasons[0].param("place") == "attachment name"
    assert reasons[0].param("source") == "De_TUYET_MAT.docx"
    assert hold_reasons(post, Policy(hold_confidential=False)) == []


def test_a_disclaimer_footer_and_a_bao_mat_subject_are_not_held() -> None:
    post = replace(
        MEMBER_POST,
        subject="Hướng dẫn bảo mật thông tin cá nhân học sinh",
        text="Kính gửi các trường.\n\nEmail này có thể chứa thông tin bảo mật. Nếu bạn không "
        "phải là người nhận, vui lòng xóa email.",
    )
    assert hold_reasons(post, Policy()) == []
