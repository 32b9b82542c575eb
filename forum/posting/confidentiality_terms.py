"""What the confidentiality detector knows, as data: the marks, and the words around "mật" that
make it an ordinary word or keep it a stamp. Syllables are case-folded; accented ones NFC."""

from __future__ import annotations

from enum import StrEnum

from archive.folding import fold

Phrase = tuple[str, ...]


class Level(StrEnum):
    """The three levels of the Law on Protection of State Secrets, and the English stamp."""

    TUYET_MAT = "TUYỆT MẬT"
    TOI_MAT = "TỐI MẬT"
    MAT = "MẬT"
    # Kept for subjects, file names and a stamp line of its own: a sender who writes
    # "CONFIDENTIAL:" at the head of a subject says the material is not for a whole group.
    # Never inside running text or a footer, where English mail says it in every disclaimer.
    CONFIDENTIAL = "CONFIDENTIAL"


STRENGTH = (Level.TUYET_MAT, Level.TOI_MAT, Level.MAT, Level.CONFIDENTIAL)  # strongest first

# Accented spellings; their unaccented forms are derived (and trusted less).
VIETNAMESE: tuple[tuple[Phrase, Level], ...] = (
    (("tuyệt", "mật"), Level.TUYET_MAT),
    (("tối", "mật"), Level.TOI_MAT),
    (("mật",), Level.MAT),
)
ENGLISH: tuple[tuple[Phrase, Level], ...] = (
    (("strictly", "confidential"), Level.CONFIDENTIAL),
    (("private", "and", "confidential"), Level.CONFIDENTIAL),
    (("confidential",), Level.CONFIDENTIAL),
)
# An unaccented lower-case "tuyet mat" can only be TUYỆT MẬT; "toi mat" is also "tôi mất" (I
# lost) and "mat" is mất, mặt, mắt, mát: those need capitals.
PLAIN_IN_ANY_CASE: frozenset[Phrase] = frozenset({("tuyet", "mat")})

# Words that may be written letter by letter or run together (folded).
SPELLED_OUT = frozenset({"mat", "toi", "tuyet", "confidential"})

# "mật" next to these is an ordinary word: bảo mật (security), bí mật (a secret), thân mật
# (friendly), mật khẩu (password), mật độ (density), mật ong (honey) ...
BEFORE_MAT = frozenset(
    {"bảo", "bí", "thân", "cơ", "túi", "sỏi", "ong", "đường", "ngọt", "kín", "tỷ", "tỉ"}
)
AFTER_MAT = frozenset(
    {
        *("khẩu", "độ", "ong", "thiết", "mã", "vụ", "thám", "báo", "danh", "thư", "ước", "lệnh"),
        *("đàm", "hiệu", "ngữ", "ngọt", "mía", "gấu", "hoa", "rỉ", "chỉ", "nghị", "sứ", "phái"),
        *("thất", "đạo", "mưu", "kế", "tập", "khu", "tông", "viện", "tấu", "chiếu", "ký", "ngôn"),
        *("điện", "đắng", "cá", "heo", "bò", "tụy", "tuỵ"),
    }
)
# Talk about classification rather than a classified text: "bí mật nhà nước độ Tối mật",
# "đóng dấu Mật", "mức độ mật", "chế độ tài liệu Mật", "danh mục tài liệu mật", chữ "MẬT",
# "phân loại Tối mật"; and asking for secrecy: "giữ tuyệt mật", "đảm bảo tuyệt mật".
TOPIC_BEFORE = frozenset({"độ", "dấu", "mức", "cấp", "mục", "chữ", "loại"})
KEEP_BEFORE = frozenset({"giữ", "bảo", "đảm", "phải", "cần", "được", "rất", "sức"})
TALK_BEFORE = TOPIC_BEFORE | KEEP_BEFORE
PLAIN_TALK_BEFORE = frozenset(fold(word) for word in TALK_BEFORE)

# Once accents are gone, "mat" is also mặt (face), mắt (eye), mất (lost) and mát (cool):
# gặp mặt, có mặt, vắng mặt, tiền mặt, khám mắt, mất điện, mặt trời, mát mẻ ...
PLAIN_BEFORE_MAT = frozenset(
    {fold(word) for word in BEFORE_MAT | TALK_BEFORE}
    | {"gap", "co", "vang", "tien", "truoc", "thay", "ra", "mat", "lam", "danh", "rua", "doi"}
    | {"be", "sac", "net", "kham", "guong", "khuon", "ve", "bo", "mo", "thoang", "bi", "dau"}
    | {"bat", "ngoai", "hoa", "chong", "lo"}
)
PLAIN_AFTER_MAT = frozenset(
    {fold(word) for word in AFTER_MAT}
    | {"dien", "nuoc", "tich", "cap", "tien", "trang", "troi", "tran", "hang", "bang", "na"}
    | {"me", "xa", "kinh", "lien", "ngu", "sau", "truoc", "tay", "viec", "day", "luong"}
    | {"tre", "long", "mui", "phai", "nguoi", "hut", "het", "quyen", "diem", "goc", "dat"}
)
ENGLISH_AFTER = frozenset(
    {"information", "data", "matters", "matter", "nature", "treatment", "handling", "and"}
)

# Documents a stamp stands in front of ("MẬT Báo cáo ..."), and nouns that with a level name a
# classified text ("TÀI LIỆU MẬT"). Two syllables each where "mật" + the first one is a word of
# its own: mật báo / báo cáo, mật danh / danh sách, mật thư / thư mời, mật kế / kế hoạch.
DOCUMENTS: tuple[Phrase, ...] = (
    *(("báo", "cáo"), ("danh", "sách"), ("danh", "mục"), ("thư", "mời"), ("giấy", "mời")),
    *(("thư", "ngỏ"), ("công", "văn"), ("công", "điện"), ("quyết", "định"), ("đề", "thi")),
    *(("đề", "kiểm", "tra"), ("đề", "cương"), ("đề", "án"), ("đề", "xuất"), ("đề", "nghị")),
    *(("đáp", "án"), ("kế", "hoạch"), ("hướng", "dẫn"), ("tờ", "trình"), ("thông", "báo")),
    *(("chỉ", "thị"), ("nghị", "quyết"), ("biên", "bản"), ("hồ", "sơ"), ("tài", "liệu")),
    *(("văn", "bản"), ("dự", "thảo"), ("phương", "án"), ("ma", "trận"), ("kết", "quả")),
    *(("điểm", "thi"), ("bảng", "điểm"), ("giấy", "triệu", "tập"), ("thông", "tư")),
    *(("nghị", "định"), ("phiếu",), ("số", "liệu"), ("thông", "tin"), ("chương", "trình")),
    *(("kịch", "bản"), ("lịch",), ("kết", "luận"), ("về", "việc"), ("v", "v"), ("số",)),
    *(("dữ", "liệu"), ("bài", "thi"), ("bảng",), ("tổng", "hợp"), ("sơ", "đồ"), ("bản", "đồ")),
    *(("đề",), ("giấy",), ("hội", "nghị"), ("nội", "dung"), ("tờ",), ("đơn",), ("hợp", "đồng")),
)
# "Tài liệu mật, không phổ biến": a level after one of these names the text as classified.
DESIGNATIONS: tuple[Phrase, ...] = (
    *(("tài", "liệu"), ("văn", "bản"), ("hồ", "sơ"), ("đề", "thi"), ("đáp", "án"), ("thư",)),
    *(("công", "văn"), ("thông", "tin"), ("báo", "cáo"), ("danh", "sách"), ("kế", "hoạch")),
    *(("quyết", "định"), ("số", "liệu"), ("dữ", "liệu"), ("đề", "kiểm", "tra"), ("đề",)),
)
ENGLISH_DOCUMENTS: tuple[Phrase, ...] = (
    *(("report",), ("memo",), ("memorandum",), ("draft",), ("minutes",), ("list",)),
    *(("document",), ("letter",), ("budget",), ("exam",), ("notice",)),
)
# Levels named one after another are talk about the levels: "Mật, Tối mật và Tuyệt mật".
LIST_JOINERS = frozenset({"và", "hoặc", "hay", "đến", "and", "or", "va", "hoac"})
# "Đây là tài liệu mật." declares the text classified, wherever the sentence sits, when the
# clause ends there ("Đề thi là tài liệu mật cho đến khi ..." is a rule, not a declaration).
DECLARATIONS: tuple[Phrase, ...] = (("đây", "là"), ("này", "thuộc"), ("là",))
# Sentence-final particles end a clause as a comma would: "bộ đề tuyệt mật nhé".
PARTICLES = frozenset({"nhé", "nhe", "nha", "nhá", "đấy", "đó", "ạ", "nhỉ", "à", "nhen"})

# The e-office field "Độ mật: Mật" (security level); "Độ mật: Thường" is the normal level.
FIELD_LABELS: tuple[Phrase, ...] = (("mức", "độ", "mật"), ("độ", "mật"))

# Skipped before a subject's or a line's first word: replies, forwards, quoted headers.
PREFIXES: tuple[Phrase, ...] = (
    *(("re",), ("fw",), ("fwd",), ("tl",), ("tr",), ("ct",), ("aw",), ("sv",), ("vs",)),
    *(("subject",), ("tieu", "de"), ("chu", "de"), ("trich", "yeu"), ("ve", "viec")),
)


def folded(phrases: tuple[Phrase, ...]) -> tuple[Phrase, ...]:
    return tuple(tuple(fold(word) for word in phrase) for phrase in phrases)
