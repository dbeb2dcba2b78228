#include "app/sheets.h"

#include <algorithm>
#include <chrono>

#include "app/operation.h"
#include "app/records.h"
#include "archive/sheets.h"
#include "core/output_file.h"
#include "governance/masking.h"
#include "records/vocabulary.h"
#include "storage/archive.h"
#include "storage/records_store.h"
#include "storage/custody_store.h"

namespace dossier::app {
namespace {

OutputFileOptions SheetFileOptions(Station& station, const SheetOutput& out) {
  return {out.force, station.archive().dir(), /*has_force_flag=*/true};
}

// Checks the target, builds the sheet and writes it.
Result<SheetResult> WriteSheet(Station& station, const SheetOutput& out,
                               archive::TableSheetData sheet,
                               const std::string& subject, int rows) {
  const OutputFileOptions options = SheetFileOptions(station, out);
  sheet.font_path = out.font;
  sheet.printed_at = "打印 printed " + station.Zone().Display(Now());
  auto pdf = archive::WriteTableSheetPdf(sheet);
  if (!pdf) return std::unexpected(pdf.error());
  if (auto s = WriteOutputFile(out.to, *pdf, options); !s) {
    return std::unexpected(s.error());
  }
  return SheetResult{subject, rows, out.to};
}

Status CheckTarget(Station& station, const SheetOutput& out) {
  if (out.to.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no output file: give --to FILE.pdf");
  }
  return CheckOutputFile(out.to, SheetFileOptions(station, out));
}

std::string TypeLabel(const std::string& type) {
  auto t = records::ParseDocumentType(type);
  if (!t) return type;
  return std::string(records::ChineseLabel(*t)) + " " + type;
}

std::string StatusNote(const std::string& status) {
  if (status == "pending") return "待审核 pending";
  if (status == "destroyed") return "已销毁 destroyed";
  return "";
}

}  // namespace

Result<int> DaysBetween(const std::string& due, const std::string& today) {
  auto a = ParseUtc(due);
  auto b = ParseUtc(today);
  if (!a || !b || due.size() != 10 || today.size() != 10) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "dates '" + due + "' and '" + today + "' must be YYYY-MM-DD");
  }
  return static_cast<int>(
      std::chrono::duration_cast<std::chrono::days>(*b - *a).count());
}

Result<SheetResult> PrintCustomerIndex(Station& station, const Caller& caller,
                                       const std::string& customer,
                                       const SheetOutput& out) {
  Operation op(station, caller, "customer.index");
  op.Record(customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<SheetResult> {
    if (auto s = CheckTarget(station, out); !s) {
      return std::unexpected(s.error());
    }
    auto& records = station.records();
    auto c = records.FindCustomer(customer);
    if (!c) return std::unexpected(c.error());
    auto docs = records.ListDocuments(c->code);
    if (!docs) return std::unexpected(docs.error());
    std::vector<storage::DocumentRecord> in_file;
    for (auto& d : *docs) {
      if (d.status == "filed" || d.status == "pending" ||
          d.status == "destroyed") {
        in_file.push_back(std::move(d));
      }
    }
    // Filed documents in archive-number order, then the rest by id.
    std::stable_sort(in_file.begin(), in_file.end(),
                     [](const auto& a, const auto& b) {
                       if (a.archive_number.empty() != b.archive_number.empty())
                         return !a.archive_number.empty();
                       if (a.archive_number != b.archive_number)
                         return a.archive_number < b.archive_number;
                       return a.id < b.id;
                     });
    const TimeZone zone = station.Zone();
    archive::TableSheetData sheet;
    sheet.title = "卷内目录";
    sheet.subtitle = "Document index";
    sheet.id = c->code;
    sheet.facts = {{"客户 Customer", c->code + "  " + c->name},
                   {"类别 Kind", c->kind},
                   {"文件数 Documents", std::to_string(in_file.size())}};
    sheet.columns = {{"序号 No.", 11, true, true},
                     {"档号 Archive number", 42, true},
                     {"题名 Title", 56},
                     {"类型 Type", 22},
                     {"日期 Date", 22, true},
                     {"页数 Pages", 11, true, true},
                     {"备注 Note", 36}};
    int pages = 0;
    for (size_t i = 0; i < in_file.size(); ++i) {
      const auto& d = in_file[i];
      op.Record(d.display_id);
      std::string date = zone.LocalDate(ParseUtc(d.created_at).value_or(Now()));
      auto fields = records.GetDocumentFields(d.display_id);
      if (fields) {
        for (const auto& f : *fields) {
          if (f.name == "signing_date" && f.problem.empty() &&
              !f.value.empty()) {
            date = f.value;
          }
        }
      }
      pages += d.page_count;
      const std::string note = StatusNote(d.status);
      sheet.rows.push_back({std::to_string(i + 1),
                            d.archive_number.empty() ? "—" : d.archive_number,
                            governance::MaskTextFor(op.principal(), d.title),
                            TypeLabel(d.type), date,
                            std::to_string(d.page_count),
                            d.display_id + (note.empty() ? "" : " " + note)});
    }
    sheet.facts.push_back({"总页数 Pages", std::to_string(pages)});
    sheet.empty_text = "本卷暂无文件 No documents in this file yet.";
    sheet.signatures = {"立卷人 Compiled by", "检查人 Checked by", "日期 Date"};
    return WriteSheet(station, out, std::move(sheet), c->code,
                      static_cast<int>(in_file.size()));
  };
  return op.Finish(run());
}

Result<SheetResult> PrintBoxSheet(Station& station, const Caller& caller,
                                  const std::string& location,
                                  const SheetOutput& out) {
  Operation op(station, caller, "location.sheet");
  op.Record(location);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<SheetResult> {
    if (auto s = CheckTarget(station, out); !s) {
      return std::unexpected(s.error());
    }
    auto& custody = station.custody();
    auto l = custody.GetLocation(location);
    if (!l) return std::unexpected(l.error());
    op.Record(l->barcode);
    auto here = custody.OriginalsAt(l->code, false);
    if (!here) return std::unexpected(here.error());
    archive::TableSheetData sheet;
    sheet.title = "盒内文件清单";
    sheet.subtitle = "Box contents";
    sheet.id = l->code;
    sheet.facts = {
        {"位置 Location", l->path},
        {"条码 Barcode", l->barcode},
        {"类别 Kind",
         l->kind + (l->security.empty() ? "" : ", " + l->security)},
        {"件数 Originals",
         std::to_string(here->size()) +
             (l->capacity > 0 ? " / " + std::to_string(l->capacity) : "")}};
    sheet.columns = {{"序号 No.", 10, true, true},   {"条码 Barcode", 28, true},
                     {"客户 Customer", 74},          {"文件 Document", 56},
                     {"页数 Pages", 12, true, true}, {"状态 State", 22}};
    for (size_t i = 0; i < here->size(); ++i) {
      const auto& o = (*here)[i];
      op.Record(o.barcode);
      sheet.rows.push_back(
          {std::to_string(i + 1), o.barcode,
           o.customer_code + " " + o.customer_name,
           (o.document_display_id.empty() ? "" : o.document_display_id + " ") +
               governance::MaskTextFor(op.principal(), o.title),
           std::to_string(o.page_count),
           o.state + (o.loan_id.empty() ? "" : " " + o.loan_id)});
    }
    sheet.empty_text = "空 This location holds no originals.";
    sheet.signatures = {"装盒人 Packed by", "检查人 Checked by", "日期 Date"};
    return WriteSheet(station, out, std::move(sheet), l->code,
                      static_cast<int>(here->size()));
  };
  return op.Finish(run());
}

Result<SheetResult> PrintOverdueSheet(Station& station, const Caller& caller,
                                      const std::string& today,
                                      const SheetOutput& out) {
  Operation op(station, caller, "loan.overdue");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<SheetResult> {
    if (auto s = CheckTarget(station, out); !s) {
      return std::unexpected(s.error());
    }
    const std::string day = today.empty() ? station.Zone().Today() : today;
    auto loans = station.custody().OverdueLoans(day);
    if (!loans) return std::unexpected(loans.error());
    archive::TableSheetData sheet;
    sheet.title = "超期借阅清单";
    sheet.subtitle = "Overdue loans";
    sheet.id = day;
    sheet.landscape = true;
    sheet.facts = {{"日期 As of", day + " (" + station.Zone().name() + ")"},
                   {"逾期 Overdue", std::to_string(loans->size())}};
    sheet.columns = {
        {"借阅单 Loan", 20, true},          {"条码 Original", 28, true},
        {"客户/题名 Customer / title", 74}, {"借阅人 Borrower", 40},
        {"联系方式 Contact", 68},           {"应还 Due", 22, true},
        {"逾期天数 Days", 18, true, true}};
    for (const auto& l : *loans) {
      op.Record(l.display_id);
      std::string customer;
      std::string customer_code;
      if (!l.barcode.empty()) {
        if (auto o = station.custody().GetOriginal(l.barcode)) {
          customer_code = o->customer_code;
          customer = o->customer_code + " " + o->customer_name;
        }
      }
      const std::string borrower =
          l.recipient.empty() || l.recipient == l.requester
              ? l.requester
              : l.recipient + " (" + l.requester + ")";
      // The contacts the archive has for the borrower: a contact of the
      // original's customer file by that name (external loans).
      std::string contact;
      if (!customer_code.empty()) {
        if (auto contacts = station.records().ListContacts(customer_code)) {
          for (const auto& k : *contacts) {
            if (k.name != l.recipient) continue;
            const storage::Contact m = Masked(op.principal(), k);
            for (const std::string* part : {&m.phone, &m.email}) {
              if (part->empty()) continue;
              contact += (contact.empty() ? "" : ", ") + *part;
            }
          }
        }
      }
      auto days = DaysBetween(l.due_date, day);
      sheet.rows.push_back(
          {l.display_id, l.barcode.empty() ? l.document_display_id : l.barcode,
           customer + (customer.empty() ? "" : " ") +
               governance::MaskTextFor(op.principal(), l.title),
           borrower + (l.external ? " 外部提供" : ""),
           contact.empty() ? "—" : contact, l.due_date,
           days ? std::to_string(*days) : "?"});
    }
    sheet.empty_text = "无超期借阅 Nothing is overdue on " + day + ".";
    sheet.signatures = {"档案管理员 Records manager", "日期 Date"};
    return WriteSheet(station, out, std::move(sheet), day,
                      static_cast<int>(loans->size()));
  };
  return op.Finish(run());
}

}  // namespace dossier::app
