"""Office mail as Vietnamese schools and education offices write it, each with the confidentiality
mark it carries (or none) and where. Shared by the unit test and bench/confidentiality.py."""

from __future__ import annotations

from dataclasses import dataclass

from forum.posting.confidentiality import Place
from forum.posting.confidentiality_terms import Level

MAT, TOI, TUYET, CONF = Level.MAT, Level.TOI_MAT, Level.TUYET_MAT, Level.CONFIDENTIAL
SUBJECT, NAME, LINE = Place.SUBJECT, Place.ATTACHMENT_NAME, Place.BODY_LINE


@dataclass(frozen=True, slots=True)
class Case:
    note: str
    subject: str = "Công văn gửi các trường"
    body: str = "Kính gửi các trường,\nPhòng gửi văn bản kèm theo.\nTrân trọng."
    names: tuple[str, ...] = ()
    level: Level | None = None
    place: Place | None = None
    line: int | None = None


def subject(text: str, level: Level | None = None, note: str = "") -> Case:
    return Case(note or text, subject=text, level=level, place=SUBJECT if level else None)


def name(text: str, level: Level | None = None, note: str = "") -> Case:
    return Case(note or text, names=(text,), level=level, place=NAME if level else None)


def body(text: str, level: Level | None = None, line: int | None = None, note: str = "") -> Case:
    place = LINE if level else None
    return Case(note or text.split("\n")[0][:60], body=text, level=level, place=place, line=line)


SIGNATURE_VI = (
    "Trân trọng,\n\n-- \nNguyễn Thị Lan\nVăn thư - Trường THPT Chu Văn An\nĐT: 0243 812 3456\n"
    "Email này có thể chứa thông tin bảo mật. Nếu bạn không phải là người nhận, vui lòng xóa "
    "email và báo cho người gửi."
)
DISCLAIMER_VI = (
    "Kính gửi quý thầy cô,\nTrường gửi lịch họp chuyên môn tháng 10.\n\nTrân trọng,\nHiệu trưởng\n"
    "\n"
    "Thông tin trong thư này là tài liệu mật và chỉ dành cho người nhận có tên ở trên. Nếu bạn\n"
    "không phải là người nhận mong muốn, xin vui lòng xóa thư và thông báo cho người gửi.\n"
    "Nghiêm cấm sao chép, phát tán dưới mọi hình thức."
)
DISCLAIMER_EN = (
    "Dear colleagues,\nPlease find the workshop agenda attached.\n\nBest regards,\nMinh\n\n"
    "CONFIDENTIALITY NOTICE: This email and any attachments are confidential and may be\n"
    "privileged. If you are not the intended recipient, please notify the sender immediately\n"
    "and delete it. Any use, disclosure or copying is prohibited."
)
DISCLAIMER_EN_HEADING = (
    "Hi all,\nThe project report is attached.\nThanks,\nAnna\n\nCONFIDENTIAL\n\n"
    "This e-mail is intended only for the person to whom it is addressed. If you have\n"
    "received this message in error, please notify us and delete it."
)
DISCLAIMER_BILINGUAL = (
    "Kính gửi anh chị,\nEm gửi file tổng hợp số liệu tuyển sinh.\nTrân trọng!\n"
    "______________________________\n"
    "Lưu ý: Thư điện tử này và các tệp đính kèm có thể chứa thông tin mật, chỉ dành riêng cho\n"
    "người nhận. Nếu nhận được thư này do nhầm lẫn, xin vui lòng xóa ngay.\n"
    "Note: This message may contain confidential information intended only for the addressee."
)
EOFFICE_NORMAL = (
    "Hệ thống quản lý văn bản điều hành gửi thông báo:\n"
    "Số ký hiệu: 1234/SGDĐT-VP\nNgày ban hành: 12/09/2024\nĐộ khẩn: Hỏa tốc\nĐộ mật: Thường\n"
    "Trích yếu: V/v báo cáo số liệu đầu năm học 2024-2025\nĐơn vị ban hành: Sở GD&ĐT"
)
EOFFICE_MAT = EOFFICE_NORMAL.replace("Độ mật: Thường", "Độ mật: Mật")
OUTLOOK_ORIGINAL = (
    "Chuyển các đồng chí để biết.\n\n-----Original Message-----\nFrom: Phòng Khảo thí\n"
    "Sent: Monday, May 12, 2025 8:00 AM\nTo: thpt@so.edu.vn\nSubject: MẬT Danh sách cán bộ "
    "ra đề\n\nKính gửi ..."
)

FORWARDED_EOFFICE = (
    "---------- Forwarded message ---------\nTừ: Văn thư Sở <vanthu@sgd.edu.vn>\n"
    "Date: Th 2, 12 thg 5, 2025 lúc 08:00\nSubject: V/v triển khai kế hoạch\n"
    "To: <thpt@so.edu.vn>\n\nKính gửi các đơn vị,\n"
    "Sở GD&ĐT gửi văn bản số 1234/SGDĐT-VP ngày 12/5/2025.\nĐộ khẩn: Thường\nĐộ mật: Thường\n"
    "Trân trọng."
)
PASTED_TITLE = (
    "UBND TỈNH NGHỆ AN\n"
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO           CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "                                           Độc lập - Tự do - Hạnh phúc\n"
    "Số: 123/KH-SGDĐT                  Nghệ An, ngày 12 tháng 5 năm 2025\n"
    "        MẬT\n\nKẾ HOẠCH"
)
QUOTED_FIELD = (
    "Em đã nhận.\n\nVào 8:00 ngày 12/5, Phòng KT <kt@so.edu.vn> đã viết:\n> Độ mật: Mật\n"
    "> Kính gửi ..."
)

CASES: tuple[Case, ...] = (
    # Stamps at the head of a subject, with or without a document type after them.
    subject("[MẬT] Đề thi chọn học sinh giỏi cấp tỉnh", MAT),
    subject("MẬT - Kế hoạch kiểm tra đột xuất các điểm thi", MAT),
    subject("MẬT: Danh sách cán bộ coi thi", MAT),
    subject("MẬT Báo cáo kết quả thanh tra", MAT),
    subject("MẬT Danh sách học sinh diện chính sách", MAT),
    subject("MẬT Thư mời họp Ban chỉ đạo thi", MAT),
    subject("Mật - Công văn số 123/SGDĐT-KTKĐ", MAT),
    subject("MẬT Quyết định thành lập Hội đồng ra đề", MAT),
    subject("MẬT Đề thi thử tốt nghiệp THPT", MAT),
    subject("Mật Kế hoạch tuyển sinh lớp 10 chuyên", MAT),
    subject("TUYỆT MẬT - Đề thi chính thức môn Toán", TUYET),
    subject("Tối mật: Phương án tổ chức kỳ thi", TOI),
    subject("Fwd: [MẬT] Kế hoạch thanh tra thi", MAT),
    subject("Re: MẬT - Danh sách thí sinh đặc cách", MAT),
    subject("TL: (Mật) Báo cáo nhanh tình hình coi thi", MAT),
    subject("[thpt] TUYỆT MẬT: đề thi dự phòng", TUYET),
    subject("Đề thi học kỳ I môn Ngữ văn (MẬT)", MAT),
    subject("Đáp án đề thi học sinh giỏi - MẬT", MAT),
    subject("Đề thi HSG tỉnh TUYỆT MẬT", TUYET),
    subject("Gửi đề thi MẬT các môn", MAT, "capitals inside a sentence"),
    subject("V/v gửi danh sách (Tối mật)", TOI),
    subject("Tài liệu mật", MAT),
    subject("TÀI LIỆU MẬT - Hội nghị giao ban quý III", MAT),
    subject("M Ậ T - Kế hoạch kiểm tra", MAT, "letter-spaced"),
    subject("T Ố I  M Ậ T: phương án bảo vệ", TOI, "letter-spaced two words"),
    subject("Độ mật: Mật - Công văn 456/SGDĐT", MAT, "field in a subject"),
    subject("TOI MAT - Ke hoach to chuc thi", TOI, "unaccented stamp"),
    subject("[TUYET MAT] De thi HSG", TUYET),
    subject("MAT: Danh sach thi sinh", MAT),
    subject("Fw: MAT Bao cao ket qua thanh tra", MAT),
    subject("Tuyet mat - de thi chinh thuc", TUYET, "unaccented lower-case tuyệt mật"),
    subject("CONFIDENTIAL: Draft budget 2025", CONF),
    subject("[Confidential] Staff evaluation", CONF),
    subject("Strictly confidential - exam papers", CONF),
    # Everyday words in subjects.
    subject("Hướng dẫn bảo mật thông tin cá nhân học sinh"),
    subject("Đổi mật khẩu hộp thư công vụ"),
    subject("Mật khẩu đăng nhập phần mềm quản lý trường học"),
    subject("Mật độ học sinh/lớp năm học 2024-2025"),
    subject("Thư mời dự buổi gặp mặt thân mật nhân ngày 20/11"),
    subject("Kế hoạch bảo mật đề thi tốt nghiệp THPT"),
    subject("Tập huấn công tác bảo vệ bí mật nhà nước"),
    subject("Quy chế bảo vệ bí mật nhà nước của Sở GD&ĐT"),
    subject("Danh mục bí mật nhà nước độ Tối mật của ngành Giáo dục", note="about the levels"),
    subject("Hướng dẫn quản lý tài liệu mật", note="about secret documents"),
    subject("Mất điện chiều nay, lịch họp dời sang sáng mai"),
    subject("Gặp mặt đầu xuân Ất Tỵ"),
    subject("Khám mắt cho học sinh tiểu học"),
    subject("Tôi mất chìa khoá tủ hồ sơ"),
    subject("toi mat the thu vien", note="unaccented: I lost"),
    subject("TOI MAT VI O PHONG HOP", note="unaccented capitals: I lost"),
    subject("Mật ong rừng U Minh - gian hàng hội chợ"),
    subject("Mật thư trò chơi lớn - Hội trại 26/3"),
    subject("Mời tham dự buổi liên hoan thân mật cuối năm"),
    subject("Báo cáo công tác bảo mật năm 2024"),
    subject("Re: Quên mật khẩu đăng nhập"),
    subject("Bí mật của lòng biết ơn - bài viết hay"),
    subject("MẬT ĐỘ DÂN SỐ THEO XÃ"),
    subject("CHÍNH SÁCH BẢO MẬT"),
    subject("Mat khau wifi phong hoi dong"),
    subject("MAT DIEN TOAN TRUONG SANG MAI"),
    subject("Mặt trận Tổ quốc phối hợp tổ chức Ngày hội đại đoàn kết"),
    subject("Thời tiết mát mẻ, tổ chức tham quan"),
    subject("Format the disk before the exam"),
    subject("Matlab training for teachers"),
    subject("Confidentiality policy update"),
    subject("Confidential information handling training"),
    subject("Mật ước Hoa - Pháp 1946: tư liệu giảng dạy lịch sử"),
    subject("Viện Cơ mật triều Nguyễn - chuyên đề lịch sử địa phương"),
    subject("Lớp 12A mật thiết phối hợp với phụ huynh"),
    # Body lines: stamps, fields, quoted originals.
    body("MẬT\n\nKính gửi: Các trường THPT\nSở gửi danh sách kèm theo.", MAT, 1),
    body("TUYỆT MẬT\nKính gửi Hội đồng ra đề,\nĐề thi gửi kèm.", TUYET, 1),
    body("Độ mật: Tối mật\nĐộ khẩn: Hỏa tốc\nKính gửi ...", TOI, 1),
    body("SỞ GDĐT HÀ NỘI\nSố: 123/KH-SGDĐT        MẬT\nKẾ HOẠCH\nKiểm tra ...", MAT, 2),
    body("Tài liệu MẬT - không phổ biến, không sao chụp.\nKính gửi ...", MAT, 1),
    body("Kính gửi các trường,\nĐây là tài liệu mật, đề nghị không chuyển tiếp.", MAT, 2),
    body("Kính gửi các trường,\nTài liệu mật, không phổ biến.", MAT, 2),
    body("Chuyển các đồng chí.\n\n> MẬT\n> Kính gửi các phòng GD&ĐT,\n> ...", MAT, 3),
    body(OUTLOOK_ORIGINAL, MAT, 7, note="quoted Outlook original with a stamped subject"),
    body("Gửi kèm tài liệu T U Y Ệ T  M Ậ T theo yêu cầu.", TUYET, 1),
    body("ĐỘ MẬT: MẬT\nNội dung: ...", MAT, 1),
    body("Do mat: Toi mat\nDo khan: Thuong\nKinh gui cac truong", TOI, 1),
    body("Độ khẩn: Hỏa tốc; Độ mật: Mật\nKính gửi ...", MAT, 1),
    body("[MẬT] Nội dung cuộc họp như sau:\n1. ...", MAT, 1),
    body("Kính gửi thầy,\nĐề thi (Tuyệt mật) em gửi kèm.", TUYET, 2),
    body("Đề nghị các đồng chí giữ kín, đây là thông tin tuyệt mật.", TUYET, 1),
    body("MAT\nKinh gui cac truong,\nSo gui danh sach.", MAT, 1),
    body("(MAT) De nghi khong chuyen tiep thu nay", MAT, 1),
    body("So: 45/KH-PGD          MAT\nKE HOACH", MAT, 1),
    body(EOFFICE_MAT, MAT, 5, note="e-office notice, security level Mật"),
    body(
        "MẬT\nKính gửi các trường,\nĐề thi gửi kèm. Nếu bạn không phải là người nhận, xin xóa thư.",
        MAT,
        1,
        note="a stamp above a disclaimer sentence in the same paragraph",
    ),
    body("CONFIDENTIAL\n\nDear board members,\nThe evaluation is attached.", CONF, 1),
    # Body text that is not marked.
    body(EOFFICE_NORMAL, note="e-office notice, security level normal"),
    body("Độ mật: Không\nĐộ khẩn: Thường\nTrích yếu: Lịch công tác tuần"),
    body("Kính mời quý thầy cô tới dự buổi gặp mặt thân mật\nnhân ngày Nhà giáo Việt Nam."),
    body("Đề nghị các trường thực hiện nghiêm quy định bảo mật đề thi."),
    body(
        "Đề thi, đáp án chưa công bố thuộc danh mục bí mật nhà nước độ Tối mật.",
        note="exam rules quoting the level",
    ),
    body("Đề thi được bảo quản theo chế độ tài liệu Mật cho đến khi mở túi đề."),
    body("Mật khẩu mặc định là 123456, vui lòng đổi sau khi đăng nhập."),
    body("Tôi mất ví ở phòng họp, ai thấy xin báo giúp."),
    body("Hom qua toi mat dien thoai o phong hop, ai thay bao giup toi."),
    body("Mật độ xây dựng của trường đạt chuẩn quốc gia."),
    body("Đề nghị các đơn vị thực hiện nghiêm chế độ bảo\nmật theo quy định.", note="wrapped"),
    body("Kế hoạch hội trại gồm trò chơi lớn, mật thư và lửa trại."),
    body("Mật thư số 1: Tìm đường đến trạm 2.", note="scouting game"),
    body("Hội chợ có gian hàng mật ong, mật mía của các xã."),
    body("Mat khau: abc123\nTen dang nhap: thcs.ab"),
    body("Please keep this confidential until the board meets."),
    body("Sensitivity: Confidential\nDear all, the minutes are attached."),
    body("Classification: CONFIDENTIAL\nDear all, see attached."),
    body('Đề nghị đóng dấu "MẬT" vào góc trái văn bản theo quy định.', note="about the stamp"),
    body("Văn bản có đóng dấu chỉ độ mật phải được quản lý theo quy định."),
    body("Cán bộ coi thi không mang điện thoại vào phòng thi, giữ bí mật đề thi."),
    body("Không gửi tài liệu mật qua hộp thư công vụ và các nhóm thư."),
    body("Đây là mật khẩu mới của hộp thư trường."),
    body("Người dân đã mật báo cho công an xã về vụ việc.", note="mật báo, a verb"),
    body("Bài 12: Hiệp định Sơ bộ và Tạm ước; mật ước Hoa - Pháp."),
    body("Tài liệu mật phải được lưu trữ trong tủ có khóa.", note="rules for secret documents"),
    body("Trường tổ chức gặp mặt cựu giáo chức.\nMọi người có mặt lúc 8 giờ."),
    body("Lớp có 3 em vắng mặt, 1 em đau mắt."),
    body("Các thầy cô chú ý giữ gìn bí\nmật về đề thi.", note="wrapped bí mật"),
    body("Trân trọng kính mời anh chị dự tiệc thân mật tại nhà hàng."),
    body("Kiểm kê tiền mặt cuối quý."),
    body(SIGNATURE_VI, note="Vietnamese disclaimer in a signature"),
    body(DISCLAIMER_VI, note="Vietnamese disclaimer calling the mail tài liệu mật"),
    body(DISCLAIMER_EN, note="English confidentiality notice"),
    body(DISCLAIMER_EN_HEADING, note="English disclaimer under a CONFIDENTIAL heading"),
    body(DISCLAIMER_BILINGUAL, note="bilingual disclaimer with thông tin mật"),
    body(
        "Em gửi anh báo cáo.\n\n> Email này và các tệp đính kèm là tài liệu mật, chỉ dành cho "
        "người nhận.\n> Nếu bạn không phải là người nhận, vui lòng xóa.",
        note="quoted disclaimer",
    ),
    body(
        "Chào anh,\n--\nPhòng Khảo thí\nTÀI LIỆU MẬT - KHÔNG PHỔ BIẾN\n",
        note="a stamp-like line in a signature is not read",
    ),
    # Attachment names.
    name("De_thi_HSG_TUYET_MAT.docx", TUYET),
    name("Mật_Danh sách học sinh.xlsx", MAT),
    name("MAT_Ke hoach thi.docx", MAT),
    name("[MAT] Danh sach.pdf", MAT),
    name("De thi Toan - MAT.pdf", MAT),
    name("TOI_MAT_Phuong_an_thi.docx", TOI),
    name("TUYET-MAT-de-thi-chinh-thuc.doc", TUYET),
    name("Đề thi HSG (Tối mật).docx", TOI),
    name("DeThiHSG_TuyetMat.docx", TUYET, "camel case"),
    name("TUYETMAT_dethi.docx", TUYET, "run together"),
    name("MẬT-Quyết định 123.pdf", MAT),
    name("M.A.T_danh_sach.xlsx", MAT),
    name("Bao_cao_MAT.docx", MAT),
    name("DE_THI_HSG_MAT.DOCX", MAT),
    name("de_thi_tuyet_mat.docx", TUYET),
    name("Tài liệu mật.pdf", MAT),
    name("Đề kiểm tra giữa kỳ_MẬT.docx", MAT),
    name("C:\\Users\\vanthu\\Desktop\\MẬT_Danh sách.xlsx", MAT, "path from an old client"),
    name("CONFIDENTIAL_budget.xlsx", CONF),
    name("Huong_dan_bao_mat_thong_tin.pdf"),
    name("Chinh sach bao mat.docx"),
    name("Mat_khau_wifi.txt"),
    name("MAT_KHAU_EMAIL.xlsx"),
    name("Mat do hoc sinh.xlsx"),
    name("Anh_gap_mat_20_11.jpg"),
    name("GAP_MAT_CUOI_NAM.JPG"),
    name("Danh_sach_vang_mat.xlsx"),
    name("Kham_mat_hoc_sinh.xlsx"),
    name("Thu_moi_gap_mat_than_mat.docx"),
    name("format_bao_cao.docx"),
    name("Matlab_code.zip"),
    name("Quy_che_bao_ve_bi_mat_nha_nuoc.pdf"),
    name("Mật ong.jpg"),
    name("BAO_CAO_TIEN_MAT.XLSX"),
    name("Thong_ke_MAT_DO_DAN_SO.xlsx"),
    name("Bảo mật đề thi.docx"),
    name("Danh sách cán bộ coi thi.xlsx"),
    name("Mẫu báo cáo độ mật.docx"),
    # Second round: stamps and talk about stamps.
    subject("Đề nghị giữ tuyệt mật kế hoạch khen thưởng"),
    body("Bí mật nhà nước gồm ba độ: Tuyệt mật, Tối mật và Mật."),
    body("Các mức độ mật gồm: Mật, Tối mật, Tuyệt mật."),
    body('Phong bì đựng đề thi có chữ "MẬT" ở góc trên.'),
    body("Đề thi được niêm phong và ghi rõ 'MẬT'."),
    subject("Đảm bảo tuyệt mật đề thi tuyển sinh"),
    body("Tài liệu này đã được phân loại Tối mật."),
    subject("Mật Bảng tổng hợp điểm thi", MAT),
    subject("ĐỀ THI TUYỂN SINH LỚP 10 - MẬT", MAT),
    subject("ĐỀ THI MẬT", MAT),
    subject("Tài liệu Hội nghị (tài liệu mật)", MAT),
    subject("Giấy mời họp Hội đồng thi (Mật)", MAT),
    name("DE THI TUYET MAT.docx", TUYET),
    name("QĐ_MẬT_số 12.pdf", MAT),
    name("Bao_cao_MAT_thang_10.docx", MAT),
    subject("Hỏa tốc - Mật", MAT),
    body("*TUYỆT MẬT*\nKính gửi", TUYET),
    body("| MẬT |", MAT),
    subject("Tuyệt mật nhé: kế hoạch sinh nhật cô Lan", TUYET),
    subject("Công văn mật số 12/CV-SGD", MAT),
    subject("[BẢO MẬT] Thông báo thay đổi mật khẩu"),
    body("Trân trọng,\nPhòng Bảo mật & An toàn thông tin"),
    subject("Luật Bảo vệ bí mật nhà nước 2018 - tài liệu tập huấn"),
    body("Theo Luật, bí mật nhà nước được phân loại thành tuyệt mật, tối mật và mật."),
    subject("Re: TUYỆT MẬT", TUYET),
    subject("Thông báo: Tối nay mật khẩu wifi sẽ đổi"),
    subject("Buổi tối mật ong giảm giá"),
    body("Mật ngọt chết ruồi - bài học đạo đức"),
    subject("tài liệu mật gửi thầy"),
    subject("Tài liệu MẬT gửi thầy", MAT),
    subject("MAT", MAT),
    subject("Mat"),
    subject("mật", MAT),
    name("Danh sach hoc sinh MAT SACH.xlsx"),
    name("Matran_de_thi.docx"),
    name("MA TRAN DE THI.docx"),
    name("DE THI TOAN - BAO MAT.docx"),
    body("Độ mật: Mật\nĐộ khẩn: Thường", MAT),
    body("Độ mật:\nMật", MAT),
    body("Độ mật\tMật", MAT),
    body("Độ mật                 Thường"),
    body("Độ mật: Thường  Độ khẩn: Thượng khẩn"),
    body("Độ mật: ......"),
    body("Xác định độ mật của văn bản theo quy định"),
    subject("Fw: Đề thi HSG Tối mật", TOI),
    subject("Hướng dẫn xác định độ mật, độ khẩn văn bản"),
    subject("Mật - Khẩn", MAT),
    subject("KHẨN - MẬT", MAT),
    subject("Thư mời (Mật)", MAT),
    body("Kính gửi anh,\nGửi anh file danh sách MẬT như đã trao đổi.", MAT),
    body("Note: the MAT file is attached."),
    subject("MAT file for USRP"),
    subject("Re: [USRP-users] MAT file"),
    subject("Toi mat roi"),
    subject("[Mật] Kế hoạch", MAT),
    subject("(Tối Mật) Phương án", TOI),
    subject("Tối mật", TOI),
    body("Gửi các đồng chí tài liệu mật."),
    subject("CONFIDENTIAL", CONF),
    subject("Re: Confidential matters"),
    subject("Confidential report on enrolment", CONF),
    subject("Staff list - confidential", CONF),
    subject("Please keep confidential"),
    body("Private and Confidential\nDear Sir"),
    body("PRIVATE AND CONFIDENTIAL\nDear Sir", CONF),
    # Third round: written before the detector read them.
    subject("Kính gửi: Hiệu trưởng các trường - Tài liệu Mật", MAT),
    subject("Báo cáo tình hình an ninh trật tự trường học (Mật)", MAT),
    subject("TB về việc đổi mật khẩu tài khoản VNEdu"),
    subject("Mời dự Lễ tổng kết và liên hoan thân mật"),
    subject("Hội nghị bảo mật thông tin mạng"),
    subject("[TỐI MẬT] Phương án bảo vệ đề thi", TOI),
    subject("mật - đề thi khảo sát", MAT),
    subject("Fwd: Fwd: TL: MẬT - Báo cáo", MAT),
    subject("Gửi danh sách thí sinh (bảo mật)"),
    subject("Danh sách học sinh có hoàn cảnh khó khăn - bảo mật thông tin"),
    subject("Đề thi HKI Toán 10 (đề chính thức - MẬT)", MAT),
    subject("Kế hoạch kiểm tra MẬT ĐỘ xây dựng"),
    subject("Thông báo mất điện"),
    subject("Re: Về việc mất mát tài sản"),
    subject("TUYET MAT", TUYET),
    subject("De thi HSG lop 9 (tuyet mat)", TUYET),
    subject("Tài liệu họp Chi bộ - MẬT", MAT),
    subject("Công văn 1234/BGDĐT-GDTrH (độ mật: thường)"),
    subject("Re: Mật khẩu"),
    subject("V/v giữ bí mật thông tin thí sinh"),
    subject("Tuyển tập đề thi mật mã học"),
    body(
        "Kính gửi các trường,\n\nSở gửi kèm theo Kế hoạch (Mật) để các trường biết và thực hiện.",
        MAT,
    ),
    body("Văn bản này là tài liệu mật.", MAT),
    body("Đề nghị các đồng chí quán triệt, không để lộ, lọt bí mật nhà nước."),
    body("Kính gửi các đồng chí\n\nMẬT\n\nKế hoạch...", MAT),
    body("Thân mật,\nLan"),
    body("Nội dung trao đổi mang tính chất nội bộ, đề nghị không chuyển tiếp."),
    body("Trích yếu: MẬT - Kế hoạch thanh tra", MAT),
    body("Độ mật: A"),
    body("Mức độ mật: Tối mật", TOI),
    body("ĐỘ MẬT: TUYỆT MẬT", TUYET),
    body('Đóng dấu độ mật "Mật" vào văn bản'),
    body("Các thầy cô giữ bí mật đề thi tuyệt đối."),
    body("Gửi anh bộ đề tuyệt mật nhé, đừng chia sẻ.", TUYET),
    body("Tôi mất ví rồi, tối mật khẩu wifi là gì nhỉ"),
    body("Danh sách đính kèm là thông tin mật, đề nghị bảo quản.", MAT),
    body("KINH GUI CAC TRUONG\nMAT\nKE HOACH", MAT),
    body("Bao mat thong tin la trach nhiem cua moi nguoi"),
    body("Chi tiet xem file dinh kem (MAT).", MAT),
    name("KH_MAT_2024.docx", MAT),
    name("Ds_thi_sinh_mat.xlsx"),
    name("TuyệtMật_ĐềThi.docx", TUYET),
    name("Anh the hoc sinh bi mat.zip"),
    name("Bien_ban_mat_trom.docx"),
    name("Danh-sach-MAT.pdf", MAT),
    name("ĐỀ THI - MẬT (1).docx", MAT),
    name("Mật độ dân số.xlsx"),
    name("Thu moi tham du le ky niem - than mat.docx"),
    # Mail converted from HTML keeps no-break spaces.
    body("Quy định về chính sách bảo\u00a0mật", note="no-break space in bảo mật"),
    subject("Kế hoạch kiểm tra\u00a0-\u00a0MẬT", MAT, "no-break spaces around a dash"),
    # Fourth round: whole messages, written before the detector read them.
    body(FORWARDED_EOFFICE, note="forwarded e-office notice, normal level"),
    body(
        FORWARDED_EOFFICE.replace("Độ mật: Thường", "Độ mật: Mật"),
        MAT,
        10,
        note="forwarded e-office notice, level Mật",
    ),
    Case(
        "an unused exam sent for comments, 'giữ bí mật giúp em nhé'",
        subject="Đề thi giữa kỳ Toán 11",
        body="Chào cô, em gửi cô đề thi giữa kỳ để cô góp ý. Đề này chưa dùng nên cô giữ bí mật "
        "giúp em nhé.",
        names=("De_GK_Toan11.docx",),
    ),
    Case(
        "exam plan in capitals",
        subject="KẾ HOẠCH TỔ CHỨC THI CHỌN HSG CẤP TỈNH NĂM HỌC 2024-2025",
        body="Đề thi do Sở ra, đảm bảo bí mật, an toàn tuyệt đối.",
    ),
    body(PASTED_TITLE, MAT, 5, note="a pasted document head with its stamp"),
    body("Bản kế hoạch tối mật của quân Pháp bị lộ", note="history lesson"),
    subject("Giới thiệu sách: Hồ sơ tuyệt mật về vụ án", note="a book title"),
    subject("Thư cảm ơn - Thân mật"),
    body("Trân trọng cảm ơn và thân mật chào"),
    body("Tài liệu gửi kèm: 01 bản (Mật)", MAT, 1),
    subject("Re: Re: [Mật] Kế hoạch", MAT),
    subject("PHƯƠNG ÁN BẢO VỆ TỐI MẬT", TOI),
    name("Kế hoạch bảo mật.docx"),
    name("Đề thi thử - BẢO MẬT.pdf"),
    subject("Nội bộ - Không phổ biến"),
    body(QUOTED_FIELD, MAT, 4, note="a quoted e-office field"),
    subject("Top Secret: surprise party for Ms. Lan"),
    subject("Salary review 2025 (Confidential)", CONF),
    body("*** MẬT ***\nKính gửi", MAT, 1),
    body("Kính gửi: Các trường THCS\n(Tài liệu mật, không sao chụp)", MAT, 2),
    subject("Cuộc thi Ai là triệu phú - câu hỏi: Mật ong có hạn sử dụng không?"),
    subject("MẬT ONG RỪNG"),
    body("Gui cac thay co de thi HK1. Tai lieu MAT, de nghi khong chia se.", MAT, 1),
    subject("Đề cương ôn tập - Mật độ dân số"),
    # Disclaimers by their shape, and stamps next to them.
    body(
        "Kính gửi,\nEm gửi báo cáo.\n\nTrân trọng,\nLan\n\nTHÔNG BÁO BẢO MẬT: Thư này và tài "
        "liệu đính kèm là TÀI LIỆU MẬT, chỉ dành cho người nhận có tên. Nghiêm cấm sao chép.",
        note="a disclaimer calling the mail TÀI LIỆU MẬT",
    ),
    body(
        "Dear Sir,\nPlease see attached.\n\nDISCLAIMER\n\nCONFIDENTIAL: This message is for the "
        "named person's use only. If you receive this message in error, please delete it.",
        note="English disclaimer under a heading",
    ),
    body(
        "Chào anh\n\n________________________________\nTUYÊN BỐ MIỄN TRỪ TRÁCH NHIỆM: Email này "
        "có thể chứa thông tin MẬT. Nếu không phải người nhận, vui lòng xóa.",
        note="a disclaimer with MẬT in capitals",
    ),
    body(
        "MẬT\n\nKính gửi các trường,\nĐề thi gửi kèm.\n\nTrân trọng.\n\nEmail này chỉ dành cho "
        "người nhận. Nếu bạn không phải là người nhận, vui lòng xóa.",
        MAT,
        1,
        note="a stamp above a disclaimer",
    ),
    body(
        "Trân trọng,\nLan\nSent from my iPhone\n\nThông tin trong email này là tài liệu mật.",
        note="a footer about this email after the sign-off",
    ),
    body(
        "Kính gửi các trường,\n\nThư này là tài liệu mật, đề nghị không chuyển tiếp.\n\n"
        "Trân trọng,\nLan",
        MAT,
        3,
        note="the same words above the sign-off declare the mail classified",
    ),
    # Whole posts.
    Case(
        "exam-season guidance",
        subject="Hướng dẫn tổ chức kỳ thi tuyển sinh lớp 10",
        body=(
            "Kính gửi các trường,\nĐể đảm bảo an toàn, bảo mật đề thi, đề nghị các trường:\n"
            "1. Bố trí phòng bảo quản đề thi có camera;\n2. Cán bộ nhận đề thi ký biên bản.\n"
            "Trân trọng."
        ),
        names=("Huong dan to chuc thi.pdf", "Mau bien ban giao nhan de thi.docx"),
    ),
    Case(
        "a draft comment signed with a disclaimer",
        subject="Góp ý dự thảo Quy chế",
        body="Điều 5: đề nghị sửa khoản 2.\n\n" + SIGNATURE_VI,
    ),
    Case(
        "the subject's stamp outranks a body's",
        subject="Tuyệt mật - đề thi",
        body="MẬT\nKính gửi",
        level=TUYET,
        place=SUBJECT,
    ),
    Case(
        "the strongest level wins",
        subject="MẬT - Kế hoạch",
        names=("De_thi_TUYET_MAT.docx",),
        level=TUYET,
        place=NAME,
    ),
)

# Mail whose mark the detector does not see, kept apart so that the bench counts them: plain
# "Toi mat" reads as "tôi mất" (I lost) too, and "có độ mật" names no level.
KNOWN_MISSES: tuple[Case, ...] = (
    name("Quyet dinh so 12 - Toi mat.pdf", TOI),
    body("Lưu ý: Tài liệu có độ mật, đề nghị không phát tán", MAT, 1),
)
