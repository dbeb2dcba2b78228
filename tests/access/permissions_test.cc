// The permission matrix, cell by cell (docs/access.md). The expected table
// is written out here independently of governance/policy.cc: a change
// to either must be a deliberate change to both.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "governance/policy.h"

namespace dossier::governance {
namespace {

// role -> permissions it holds; admin holds all.
const std::map<std::string, std::set<std::string>>& Expected() {
  static const std::map<std::string, std::set<std::string>> kExpected = {
      {"scanner", {"document.ingest", "document.read", "customer.read"}},
      {"clerk",
       {"document.read", "document.export", "customer.read", "customer.write",
        "customer.pii", "location.read", "loan.read", "loan.request"}},
      {"reviewer",
       {"document.read", "document.verify", "customer.read", "customer.pii",
        "review.decide"}},
      {"archivist",
       {"document.read", "document.verify", "customer.read", "profile.manage",
        "location.read", "location.manage", "original.manage", "label.print",
        "loan.read", "loan.handle", "audit.run"}},
      {"records-manager",
       {"document.read", "customer.read", "location.read", "loan.read",
        "loan.approve", "audit.apply", "retention.manage"}},
      {"auditor",
       {"document.read", "document.verify", "customer.read", "location.read",
        "loan.read", "log.read"}},
  };
  return kExpected;
}

bool Expect(const std::string& role, const std::string& permission) {
  if (role == "admin") return true;
  const auto& set = Expected().at(role);
  return set.count(permission) > 0;
}

struct Cell {
  std::string role;
  std::string permission;
};

std::vector<Cell> AllCells() {
  std::vector<Cell> cells;
  for (auto role : Roles()) {
    for (const auto& p : Permissions()) {
      cells.push_back({std::string(role), std::string(p.name)});
    }
  }
  return cells;
}

void PrintTo(const Cell& cell, std::ostream* os) {
  *os << cell.role << " x " << cell.permission;
}

class MatrixCell : public ::testing::TestWithParam<Cell> {};

TEST_P(MatrixCell, GrantsExactlyTheDocumentedCell) {
  const Cell& c = GetParam();
  EXPECT_EQ(RoleHasPermission(c.role, c.permission), Expect(c.role, c.permission))
      << c.role << " x " << c.permission;
  std::vector<std::string> roles{c.role};
  auto status = CheckPermission(roles, c.permission);
  EXPECT_EQ(status.has_value(), Expect(c.role, c.permission));
  if (!status) {
    EXPECT_EQ(status.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(status.error().message,
              "permission denied: role " + c.role + " lacks '" + c.permission +
                  "'");
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllRolesTimesAllPermissions, MatrixCell, ::testing::ValuesIn(AllCells()),
    [](const ::testing::TestParamInfo<Cell>& info) {
      std::string name = info.param.role + "_" + info.param.permission;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(Matrix, HasSevenRolesAndEveryExpectedPermissionExists) {
  EXPECT_EQ(Roles().size(), 7u);
  std::set<std::string> all;
  for (const auto& p : Permissions()) all.insert(std::string(p.name));
  for (const auto& [role, perms] : Expected()) {
    EXPECT_TRUE(IsRole(role));
    for (const auto& p : perms) EXPECT_TRUE(all.count(p)) << p;
  }
  EXPECT_FALSE(IsRole("root"));
  EXPECT_FALSE(RoleHasPermission("root", "document.read"));
  EXPECT_FALSE(RoleHasPermission("clerk", "no.such"));
}

TEST(Matrix, SeveralRolesUnionAndNameAllInRefusal) {
  std::vector<std::string> roles{"clerk", "scanner"};
  EXPECT_TRUE(CheckPermission(roles, "document.ingest").has_value());
  EXPECT_TRUE(CheckPermission(roles, "customer.write").has_value());
  auto denied = CheckPermission(roles, "loan.approve");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().message,
            "permission denied: roles clerk, scanner lack 'loan.approve'");
  EXPECT_FALSE(CheckPermission(std::vector<std::string>{}, "document.read"));
}

TEST(Operations, EveryOperationNeedsAKnownPermission) {
  std::set<std::string> names;
  for (const auto& op : Operations()) {
    EXPECT_TRUE(op.permission == kPublic || op.permission == kAnyUser ||
                IsPermission(op.permission))
        << op.name << " -> " << op.permission;
    EXPECT_TRUE(names.insert(std::string(op.name)).second)
        << op.name << " is listed twice";
  }
  EXPECT_EQ(PermissionForOperation("loan.approve"), "loan.approve");
  EXPECT_EQ(PermissionForOperation("loan.reject"), "loan.approve");
  EXPECT_EQ(PermissionForOperation("audit.start"), "audit.run");
  EXPECT_EQ(PermissionForOperation("audit.apply-moves"), "audit.apply");
  EXPECT_EQ(PermissionForOperation("hold.add"), "retention.manage");
  EXPECT_EQ(PermissionForOperation("destroy.approve"), "retention.manage");
  EXPECT_EQ(PermissionForOperation("retention.due"), "retention.manage");
  EXPECT_EQ(PermissionForOperation("backup.verify"), "backup.manage");
  EXPECT_EQ(PermissionForOperation("backup.restore"), "backup.manage");
  EXPECT_EQ(PermissionForOperation("log.show"), "log.read");
  EXPECT_EQ(PermissionForOperation("session.login"), kPublic);
  EXPECT_EQ(PermissionForOperation("no.such-operation"), kUnlisted);
  EXPECT_TRUE(RoleHasPermission("admin", kUnlisted));
  for (auto role : Roles()) {
    if (role != "admin") {
      EXPECT_FALSE(RoleHasPermission(role, kUnlisted));
    }
  }
}

TEST(Operations, RoleByOperation) {
  struct Row {
    const char* operation;
    std::set<std::string> roles;  // besides admin
  };
  const Row rows[] = {
      {"document.search", {"scanner", "clerk", "reviewer", "archivist",
                           "records-manager", "auditor"}},
      {"document.export", {"clerk"}},
      {"document.ingest", {"scanner"}},
      {"review.approve", {"reviewer"}},
      {"loan.approve", {"records-manager"}},
      {"loan.checkout", {"archivist"}},
      {"original.move", {"archivist"}},
      {"destroy.approve", {"records-manager"}},
      {"backup.create", {}},
      {"user.add", {}},
      {"log.show", {"auditor"}},
  };
  for (const auto& row : rows) {
    std::string_view permission = PermissionForOperation(row.operation);
    for (auto role : Roles()) {
      const bool expected =
          role == "admin" || row.roles.count(std::string(role)) > 0;
      EXPECT_EQ(RoleHasPermission(role, permission), expected)
          << role << " x " << row.operation;
    }
  }
}

TEST(Masking, SensitiveFieldsAndMaskShape) {
  EXPECT_TRUE(IsSensitiveField("id_number"));
  EXPECT_TRUE(IsSensitiveField("phone"));
  EXPECT_TRUE(IsSensitiveField("party_a_phone"));
  EXPECT_TRUE(IsSensitiveField("legal_rep_id_number"));
  EXPECT_TRUE(IsSensitiveField("mobile"));
  EXPECT_FALSE(IsSensitiveField("uscc"));
  EXPECT_FALSE(IsSensitiveField("email"));
  // Masked by kind: fields::NormalizeField reads "telephone" as a phone.
  EXPECT_TRUE(IsSensitiveField("telephone"));
  EXPECT_EQ(MaskValue("11010519491231002X"), "110105********002X");
  EXPECT_EQ(MaskValue("+8613800138000"), "+86138****8000");
  EXPECT_EQ(MaskValue("+862162345678"), "+8621****5678");
  EXPECT_EQ(MaskValue("123"), "***");
  EXPECT_EQ(MaskValue("12345678"), "123*5678");
}

}  // namespace
}  // namespace dossier::governance
