"""Site presets: the seven audience groups of the Ministry's notice (`moet`)."""

from __future__ import annotations

from forum.lists.lists import ListSpec

MOET = (
    ListSpec(
        "phong",
        "Phòng Giáo dục và Đào tạo",
        "Lãnh đạo và chuyên viên các phòng giáo dục và đào tạo.",
        ("dangky-phong",),
    ),
    ListSpec(
        "thpt",
        "Trung học phổ thông",
        "Các trường trung học phổ thông.",
        ("dangky-THPT",),
    ),
    ListSpec(
        "thcs",
        "Trung học cơ sở",
        "Các trường trung học cơ sở.",
        ("dangky-THCS",),
    ),
    ListSpec(
        "tieuhoc",
        "Tiểu học",
        "Các trường tiểu học.",
        ("dangky-tieuhoc",),
    ),
    ListSpec(
        "maugiao",
        "Mẫu giáo",
        "Các trường mẫu giáo, mầm non.",
        ("dangky-maugiao",),
    ),
    ListSpec(
        "ttgdtx",
        "Trung tâm giáo dục thường xuyên",
        "Các trung tâm giáo dục thường xuyên.",
        ("dangky-TTGDTX",),
    ),
    ListSpec(
        "ttgdcd",
        "Trung tâm học tập cộng đồng",
        "Các trung tâm học tập cộng đồng.",
        ("dangky-TTGDCD",),
    ),
)

PRESETS: dict[str, tuple[ListSpec, ...]] = {"moet": MOET}
