#include "archive/certificate.h"

#include "archive/report_pdf_doc.h"

namespace dossier::archive {

using internal::MmToPt;

Result<std::string> WriteDestructionCertificatePdf(
    const CertificateData& data) {
  auto pdf = internal::PdfDoc::Create(
      data.font_path,
      "Destruction certificate " + data.batch_id);
  if (!pdf) return std::unexpected(pdf.error());
  internal::PdfDoc& doc = **pdf;
  const double page_w = MmToPt(210);
  const double page_h = MmToPt(297);
  const double margin = MmToPt(15);
  const double text_w = page_w - 2 * margin;
  HPDF_Page page = nullptr;
  double y = 0;
  int page_number = 0;
  auto new_page = [&]() -> Status {
    auto p = doc.AddPage(page_w, page_h);
    if (!p) return std::unexpected(p.error());
    page = *p;
    ++page_number;
    y = page_h - margin;
    doc.Text(page, margin, MmToPt(8), 7,
             "Dossier 销毁证明 destruction certificate " + data.batch_id +
                 "  ·  第 " + std::to_string(page_number) + " 页 page " +
                 std::to_string(page_number),
             0);
    return Ok();
  };
  // Starts a new page when fewer than `needed` points are left.
  auto room = [&](double needed) -> Status {
    if (y - needed < margin + 12) return new_page();
    return Ok();
  };
  auto rule = [&]() { doc.Rule(page, margin, page_w - margin, y); };
  if (auto s = new_page(); !s) return std::unexpected(s.error());
  doc.Text(page, margin, y - 16, 18, "销毁证明", 0);
  doc.Text(page, margin + doc.TextWidth(page, 18, "销毁证明 "), y - 16, 13,
           "Destruction certificate " + data.batch_id, text_w);
  y -= 40;
  const std::pair<std::string, std::string> facts[] = {
      {"档案库 Archive", data.archive_name},
      {"状态 Status", data.status},
      {"原因 Reason", data.reason},
      {"提出 Proposed", data.proposed},
      {"批准 Approved", data.approved},
      {"出具 Issued", data.issued_at + " by " + data.issued_by},
      {"档案 Documents", std::to_string(data.documents.size())},
      {"原件 Originals", std::to_string(data.originals.size())},
  };
  for (const auto& [label, value] : facts) {
    doc.Text(page, margin, y, 10, label, 0);
    doc.Text(page, margin + 95, y, 10, value, text_w - 95);
    y -= 14;
  }
  y -= 6;
  rule();
  y -= 18;
  doc.Text(page, margin, y, 12, "已销毁档案 Documents destroyed", 0);
  y -= 16;
  for (const CertificateDocument& d : data.documents) {
    if (auto s = room(58); !s) return std::unexpected(s.error());
    doc.Text(page, margin, y, 9,
             d.document + "  " + d.archive_number + "  " + d.type + "  " +
                 std::to_string(d.page_count) + " p.",
             text_w, true);
    y -= 12;
    doc.Text(page, margin + 12, y, 9, d.title + "  —  " + d.customer,
             text_w - 12);
    y -= 12;
    doc.Text(page, margin + 12, y, 8,
             "filed " + d.filed_at + "; retention " + d.retention + "; due " +
                 d.due_on + "; destroyed " + d.destroyed_at,
             text_w - 12);
    y -= 11;
    doc.Text(page, margin + 12, y, 7, "SHA-256 " + d.pdf_sha256, text_w - 12,
             true);
    y -= 15;
  }
  if (auto s = room(40); !s) return std::unexpected(s.error());
  y -= 4;
  rule();
  y -= 18;
  doc.Text(page, margin, y, 12, "纸质原件 Paper originals", 0);
  y -= 16;
  if (data.originals.empty()) {
    doc.Text(page, margin, y, 9,
             "无纸质原件登记 No paper originals were registered.", 0);
    y -= 14;
  }
  for (const CertificateOriginal& o : data.originals) {
    if (auto s = room(30); !s) return std::unexpected(s.error());
    doc.Text(page, margin, y, 9, o.barcode + "  (" + o.document + ")", 0, true);
    y -= 12;
    const std::string line =
        o.shredded_by.empty() ? std::string("not yet shredded")
                              : "shredded " + o.shredded_at + " by " +
                                    o.shredded_by + ", witness " + o.witness +
                                    (o.method.empty() ? "" : ", " + o.method);
    doc.Text(page, margin + 12, y, 9, line, text_w - 12);
    y -= 15;
  }
  if (auto s = room(70); !s) return std::unexpected(s.error());
  y -= 10;
  rule();
  y -= 18;
  doc.Text(page, margin, y, 10, "签字 Signatures", 0);
  y -= 30;
  doc.Text(page, margin, y, 9,
           "档案管理员 Records manager: ______________________", 0);
  doc.Text(page, margin + text_w / 2, y, 9,
           "监销人 Witness: ______________________", 0);
  return doc.Save();
}

}  // namespace dossier::archive
