#include "app/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "app/operation.h"
#include "governance/masking.h"
#include "fields/normalize.h"
#include "pipeline/station.h"
#include "storage/retention_store.h"

namespace dossier::app {
namespace {

// Checks an entered value with its field's normaliser; '' stays '' (clears).
Result<std::optional<std::string>> Checked(const EnteredValues& values,
                                           const std::string& field) {
  auto it = values.find(field);
  if (it == values.end()) return std::optional<std::string>();
  if (it->second.empty()) return std::optional<std::string>("");
  auto value = fields::NormalizeField(field, it->second);
  if (!value) return std::unexpected(value.error());
  return std::optional<std::string>(*value);
}

Result<storage::CustomerUpdate> UpdateFrom(const EnteredValues& values) {
  for (const auto& [field, value] : values) {
    if (field != "uscc" && field != "id_number" && field != "phone" &&
        field != "email" && field != "address") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "customer field '" + field + "' cannot be entered");
    }
  }
  storage::CustomerUpdate u;
  for (const auto& [field, target] :
       {std::pair{"uscc", &u.uscc}, {"id_number", &u.id_number},
        {"phone", &u.phone}, {"email", &u.email}, {"address", &u.address}}) {
    auto v = Checked(values, field);
    if (!v) return std::unexpected(v.error());
    *target = *v;
  }
  return u;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// kConflict when code is the holding customer for unassigned scans.
Status RefuseHolding(Station& station, const std::string& code,
                     std::string_view refused) {
  auto holding = HoldingCustomer(station);
  if (!holding) return std::unexpected(holding.error());
  if (holding->empty() || Upper(code) != *holding) return Ok();
  return MakeError(ErrorCode::kConflict,
                   fmt::format("{} is the holding customer for unassigned "
                               "scans (\"{}\"); it {}. Refile its documents "
                               "to their customers instead (dossier review "
                               "link DOC, or dossier document refile DOC "
                               "--customer CODE --reason ...)",
                               *holding, pipeline::kReviewCustomerName,
                               refused));
}

}  // namespace

Result<std::string> HoldingCustomer(Station& station) {
  auto setting = station.records().GetSetting("capture");
  if (!setting) return std::unexpected(setting.error());
  if (!*setting) return std::string();
  auto j = nlohmann::json::parse(**setting, nullptr, false);
  if (!j.is_object() || !j.contains("review_customer") ||
      !j["review_customer"].is_string()) {
    return std::string();
  }
  return Upper(j["review_customer"].get<std::string>());
}

storage::Customer Masked(const Principal& p, storage::Customer c) {
  c.id_number = governance::MaskFor(p, "id_number", c.id_number);
  c.phone = governance::MaskFor(p, "phone", c.phone);
  return c;
}

storage::Contact Masked(const Principal& p, storage::Contact c) {
  c.phone = governance::MaskFor(p, "phone", c.phone);
  return c;
}

namespace {

// A value of the named field as the principal may see it: masked whole when
// the field holds ID or phone numbers, else any number in it that may be
// one (a "contact" field with a phone after the name, a title, a reason).
std::string MaskedValue(const Principal& p, const std::string& field,
                        const std::string& value) {
  if (governance::IsSensitiveField(field)) {
    return governance::MaskFor(p, field, value);
  }
  return governance::MaskTextFor(p, value);
}

}  // namespace

storage::HistoryEntry Masked(const Principal& p, storage::HistoryEntry e) {
  // Document fields are recorded as "field:<name>" (and similar prefixes):
  // the name after the last ':' decides.
  const std::string name = e.field.substr(e.field.rfind(':') + 1);
  if (e.old_value) e.old_value = MaskedValue(p, name, *e.old_value);
  if (e.new_value) e.new_value = MaskedValue(p, name, *e.new_value);
  return e;
}

storage::DocumentField Masked(const Principal& p, storage::DocumentField f) {
  f.value = MaskedValue(p, f.name, f.value);
  f.raw = MaskedValue(p, f.name, f.raw);
  return f;
}

Result<storage::Customer> AddCustomer(Station& station, const Caller& caller,
                                      const NewCustomerInput& input) {
  Operation op(station, caller, "customer.add");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::Customer> {
    // Everything is checked before a code is issued.
    auto update = UpdateFrom(input.values);
    if (!update) return std::unexpected(update.error());
    if (!input.parent.empty()) {
      if (auto s = RefuseHolding(station, input.parent,
                                 "takes no group members");
          !s) {
        return std::unexpected(s.error());
      }
    }
    // One transaction: a refused value or parent leaves no customer and
    // uses up no code.
    storage::NewCustomer record;
    record.name = input.name;
    record.kind = input.kind;
    record.values = *update;
    record.parent_code = input.parent;
    auto c = station.records().AddCustomerFile(record, op.user());
    if (!c) return c;
    op.Record(c->code);
    return Masked(op.principal(), *c);
  };
  return op.Finish(run());
}

Result<storage::Customer> UpdateCustomer(Station& station, const Caller& caller,
                                         const std::string& code,
                                         const CustomerChanges& changes) {
  Operation op(station, caller, "customer.update");
  op.Record(code);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::Customer> {
    if (auto s = RefuseHolding(station, code, "cannot be renamed or changed");
        !s) {
      return std::unexpected(s.error());
    }
    auto u = UpdateFrom(changes.values);
    if (!u) return std::unexpected(u.error());
    if (changes.name) u->name = fields::FoldFullWidth(*changes.name);
    u->kind = changes.kind;
    auto c = station.records().UpdateCustomer(code, *u, op.user());
    if (!c) return c;
    return Masked(op.principal(), *c);
  };
  return op.Finish(run());
}

Result<storage::Customer> LinkCustomer(Station& station, const Caller& caller,
                                       const std::string& code,
                                       const std::string& parent) {
  Operation op(station, caller, "customer.link");
  op.Record(code);
  if (!parent.empty()) op.Record(parent);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::Customer> {
    if (auto s = RefuseHolding(station, code, "cannot be a group member");
        !s) {
      return std::unexpected(s.error());
    }
    if (!parent.empty()) {
      if (auto s = RefuseHolding(station, parent, "takes no group members");
          !s) {
        return std::unexpected(s.error());
      }
    }
    auto c = station.records().LinkCustomer(code, parent, op.user());
    if (c) c = Masked(op.principal(), *c);
    return c;
  };
  return op.Finish(run());
}

Result<storage::Contact> AddContact(Station& station, const Caller& caller,
                                    const NewContactInput& input) {
  Operation op(station, caller, "customer.contact.add");
  op.Record(input.customer_code);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::Contact> {
    if (auto s = RefuseHolding(station, input.customer_code,
                               "takes no contacts");
        !s) {
      return std::unexpected(s.error());
    }
    storage::Contact k;
    k.customer_code = input.customer_code;
    k.role = fields::FoldFullWidth(input.role);
    k.name = fields::FoldFullWidth(input.name);
    // A contact keeps a phone, an e-mail and an address; a number it does
    // not keep is refused rather than checked and then dropped.
    for (const auto& [field, value] : input.values) {
      if (field != "phone" && field != "email" && field != "address") {
        return MakeError(ErrorCode::kInvalidArgument,
                         "contact of " + input.customer_code + ": field '" +
                             field + "' is not kept for a contact (联系人只记录 "
                             "phone, email, address)");
      }
    }
    auto u = UpdateFrom(input.values);
    if (!u) return std::unexpected(u.error());
    k.phone = u->phone.value_or("");
    k.email = u->email.value_or("");
    k.address = u->address.value_or("");
    auto stored = station.records().AddContact(k, op.user());
    if (!stored) return stored;
    return Masked(op.principal(), *stored);
  };
  return op.Finish(run());
}

Result<CustomerFile> ShowCustomer(Station& station, const Caller& caller,
                                  const std::string& code) {
  Operation op(station, caller, "customer.show");
  op.Record(code);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<CustomerFile> {
    auto& catalog = station.records();
    CustomerFile file;
    auto c = catalog.FindCustomer(code);
    if (!c) return std::unexpected(c.error());
    file.customer = Masked(op.principal(), *c);
    auto members = catalog.GroupMembers(c->code);
    if (!members) return std::unexpected(members.error());
    for (size_t i = 1; i < members->size(); ++i) {
      file.members.push_back(Masked(op.principal(), (*members)[i]));
    }
    auto contacts = catalog.ListContacts(c->code);
    if (!contacts) return std::unexpected(contacts.error());
    for (auto& k : *contacts) file.contacts.push_back(Masked(op.principal(), k));
    auto docs = catalog.ListDocuments(c->code);
    if (!docs) return std::unexpected(docs.error());
    file.documents = std::move(*docs);
    return file;
  };
  return op.Finish(run());
}

Result<std::vector<storage::Customer>> ListCustomers(
    Station& station, const Caller& caller, const std::string& group,
    const std::string& name) {
  Operation op(station, caller, "customer.list");
  op.Record(group);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto list = !name.empty()   ? station.records().FindCustomersByName(name)
              : group.empty() ? station.records().ListCustomers()
                              : station.records().GroupMembers(group);
  if (list && !name.empty() && !group.empty()) {
    // Both: the named ones within the group.
    auto members = station.records().GroupMembers(group);
    if (!members) return op.Finish(std::move(members));
    std::erase_if(*list, [&](const storage::Customer& c) {
      return std::none_of(members->begin(), members->end(),
                          [&](const auto& m) { return m.code == c.code; });
    });
  }
  if (list) {
    for (auto& c : *list) c = Masked(op.principal(), c);
  }
  return op.Finish(std::move(list));
}

Result<std::vector<storage::HistoryEntry>> History(Station& station,
                                                   const Caller& caller,
                                                   const std::string& record) {
  Operation op(station, caller, "record.history");
  op.Record(record);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  const bool is_customer =
      record.size() > 3 && (record.starts_with("KH") || record.starts_with("kh"));
  auto entries = is_customer ? station.records().CustomerHistory(record)
                             : station.records().DocumentHistory(record);
  if (entries) {
    for (auto& e : *entries) e = Masked(op.principal(), e);
  }
  return op.Finish(std::move(entries));
}

Result<std::vector<storage::DocumentRecord>> ReviewQueue(
    Station& station, const Caller& caller, const std::string& status) {
  Operation op(station, caller, "review.list");
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.records().ListDocumentsByStatus(status));
}

Result<ReviewSheet> ShowReview(Station& station, const Caller& caller,
                               const std::string& document, float threshold) {
  Operation op(station, caller, "review.show");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<ReviewSheet> {
    auto& catalog = station.records();
    ReviewSheet sheet;
    auto doc = catalog.GetDocument(document);
    if (!doc) return std::unexpected(doc.error());
    sheet.document = *doc;
    auto fields = catalog.GetDocumentFields(doc->display_id);
    if (!fields) return std::unexpected(fields.error());
    auto matches = catalog.MatchCustomers(*fields);
    if (!matches) return std::unexpected(matches.error());
    for (auto& m : *matches) {
      m.customer = Masked(op.principal(), m.customer);
      m.reason = governance::MaskTextFor(op.principal(), m.reason);
    }
    sheet.matches = std::move(*matches);
    for (const auto& f : *fields) sheet.fields.push_back(Masked(op.principal(), f));
    auto pages = catalog.GetPages(doc->id, /*with_words=*/true);
    if (!pages) return std::unexpected(pages.error());
    for (const auto& p : *pages) {
      ReviewPage page{p.number, p.confidence, static_cast<int>(p.words.size()), {}};
      for (const auto& w : p.words) {
        if (w.confidence < threshold) {
          page.doubtful.push_back(governance::MaskTextFor(op.principal(), w.text));
        }
      }
      if (!page.doubtful.empty()) sheet.pages.push_back(std::move(page));
    }
    return sheet;
  };
  return op.Finish(run());
}

Result<std::optional<std::string>> CorrectField(
    Station& station, const Caller& caller, const std::string& document,
    const std::string& field, const std::optional<std::string>& value) {
  Operation op(station, caller, "review.correct");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<std::optional<std::string>> {
    std::optional<std::string> checked;
    if (value) {
      auto v = fields::NormalizeField(field, *value);
      if (!v) return std::unexpected(v.error());
      checked = *v;
    }
    if (auto s = station.records().SetDocumentField(document, field, checked,
                                                    op.user());
        !s) {
      return std::unexpected(s.error());
    }
    return checked;
  };
  return op.Finish(run());
}

Result<storage::DocumentRecord> ApproveDocument(Station& station,
                                                const Caller& caller,
                                                const std::string& document) {
  Operation op(station, caller, "review.approve");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<storage::DocumentRecord> {
    auto current = station.records().GetDocument(document);
    if (!current) return current;
    auto holding = HoldingCustomer(station);
    if (!holding) return std::unexpected(holding.error());
    if (!holding->empty() && current->customer_code == *holding) {
      return MakeError(
          ErrorCode::kConflict,
          fmt::format("{} is filed under the holding customer for unassigned "
                      "scans ({}); refile it to its customer before approving "
                      "it (dossier review link {}, or dossier document refile "
                      "{} --customer CODE --reason ...)",
                      current->display_id, *holding, current->display_id,
                      current->display_id));
    }
    auto doc = station.records().ApproveDocument(document, op.user());
    if (doc) op.Record(doc->archive_number);
    return doc;
  };
  return op.Finish(run());
}

Result<storage::DocumentRecord> RejectDocument(Station& station,
                                               const Caller& caller,
                                               const std::string& document,
                                               const std::string& reason) {
  Operation op(station, caller, "review.reject");
  op.Record(document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.records().RejectDocument(document, reason, op.user()));
}

Result<storage::DocumentRecord> ReplaceDocument(Station& station,
                                                const Caller& caller,
                                                const std::string& rejected,
                                                const std::string& rescan) {
  Operation op(station, caller, "review.replace");
  op.Record(rejected);
  op.Record(rescan);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(station.records().ReplaceDocument(rejected, rescan, op.user()));
}

namespace {

Result<RefileResult> Refile(Operation& op, Station& station,
                            const RefileInput& input) {
  auto& records = station.records();
  auto doc = records.GetDocument(input.document);
  if (!doc) return std::unexpected(doc.error());
  std::optional<std::string> title;
  if (input.title) title = fields::FoldFullWidth(*input.title);
  if (input.customer) {
    auto target = records.FindCustomer(*input.customer);
    if (!target) return std::unexpected(target.error());
    op.Record(target->code);
    if (auto s = RefuseHolding(station, target->code,
                               "takes only scans that wait for refiling");
        !s) {
      return std::unexpected(s.error());
    }
    // A hold on the customer covers the documents filed under it: moving
    // one out would take it from under the hold.
    if (target->code != doc->customer_code) {
      auto holds = station.retention().ListHolds(/*active_only=*/true);
      if (!holds) return std::unexpected(holds.error());
      for (const auto& h : *holds) {
        if (Upper(h.target) == doc->customer_code) {
          return MakeError(
              ErrorCode::kConflict,
              fmt::format("{} cannot leave {}: legal hold {} on that "
                          "customer ({}) covers it; release the hold first",
                          doc->display_id, doc->customer_code, h.display_id,
                          h.reason));
        }
      }
    }
  }
  storage::RefileRequest request;
  request.document = doc->display_id;
  request.customer_code = input.customer;
  request.type = input.type;
  request.title = title;
  request.reason = fields::FoldFullWidth(input.reason);
  request.actor = op.user();
  auto done = records.RefileDocument(request);
  if (!done) return std::unexpected(done.error());
  if (done->before.archive_number != done->after.archive_number) {
    op.Record(done->after.archive_number);
  }
  RefileResult result{std::move(done->before), std::move(done->after)};
  result.before.title = governance::MaskTextFor(op.principal(), result.before.title);
  result.after.title = governance::MaskTextFor(op.principal(), result.after.title);
  return result;
}

}  // namespace

Result<RefileResult> RefileDocument(Station& station, const Caller& caller,
                                    const RefileInput& input) {
  Operation op(station, caller, "document.refile");
  op.Record(input.document);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  return op.Finish(Refile(op, station, input));
}

Result<RefileResult> LinkProposedCustomer(Station& station,
                                          const Caller& caller,
                                          const std::string& document,
                                          const std::string& customer) {
  Operation op(station, caller, "review.link");
  op.Record(document);
  if (!customer.empty()) op.Record(customer);
  if (auto s = op.Authorize(); !s) return std::unexpected(s.error());
  auto run = [&]() -> Result<RefileResult> {
    auto& records = station.records();
    auto doc = records.GetDocument(document);
    if (!doc) return std::unexpected(doc.error());
    auto fields = records.GetDocumentFields(doc->display_id);
    if (!fields) return std::unexpected(fields.error());
    auto matches = records.MatchCustomers(*fields);
    if (!matches) return std::unexpected(matches.error());
    std::vector<storage::CustomerMatch> proposals;
    bool filed_at_proposal = false;
    for (auto& m : *matches) {
      if (m.customer.code != doc->customer_code) {
        proposals.push_back(m);
      } else {
        filed_at_proposal = true;
      }
    }
    // A contract names both parties: filed under one of them, it is not
    // moved to the other unless the reviewer names it.
    if (customer.empty() && filed_at_proposal && !proposals.empty()) {
      std::string names;
      for (const auto& m : proposals) {
        names += fmt::format("; {} {} ({})", m.customer.code, m.customer.name,
                             m.reason);
      }
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} is already filed under a proposed "
                                   "customer, {}; to move it to another "
                                   "proposal name it with --customer{}",
                                   doc->display_id, doc->customer_code,
                                   governance::MaskTextFor(op.principal(),
                                                           names)));
    }
    const storage::CustomerMatch* chosen = nullptr;
    if (!customer.empty()) {
      for (const auto& m : proposals) {
        if (m.customer.code == Upper(customer)) chosen = &m;
      }
      if (!chosen) {
        return MakeError(ErrorCode::kConflict,
                         fmt::format("{}: {} is not a proposed customer link "
                                     "(see dossier review show {}); use "
                                     "dossier document refile to file it "
                                     "there anyway",
                                     doc->display_id, Upper(customer),
                                     doc->display_id));
      }
    } else if (proposals.empty()) {
      return MakeError(ErrorCode::kNotFound,
                       fmt::format("{}: no proposed customer link (no USCC or "
                                   "party name among its fields matches "
                                   "another customer)",
                                   doc->display_id));
    } else if (proposals.size() > 1) {
      std::string names;
      for (const auto& m : proposals) {
        names += fmt::format("; {} {} ({})", m.customer.code, m.customer.name,
                             m.reason);
      }
      return MakeError(ErrorCode::kConflict,
                       fmt::format("{} has {} proposed customer links; choose "
                                   "one with --customer{}",
                                   doc->display_id, proposals.size(),
                                   governance::MaskTextFor(op.principal(),
                                                           names)));
    } else {
      chosen = &proposals.front();
    }
    RefileInput input;
    input.document = doc->display_id;
    input.customer = chosen->customer.code;
    input.reason = "review link: " + chosen->reason;
    return Refile(op, station, input);
  };
  return op.Finish(run());
}

}  // namespace dossier::app
