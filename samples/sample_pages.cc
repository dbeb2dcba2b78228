// The content of the sample pages. Every company, person, phone number and
// address here is invented; identifiers carry valid check characters so that
// field extraction can validate them.
#include <string>
#include <utility>
#include <vector>

#include "samples/page_model.h"
#include "samples/uscc.h"

namespace dossier::samples {
namespace {

constexpr int kBody = 48;      // ~11.5 pt at 300 dpi
constexpr int kHeading = 50;   // clause headings
constexpr int kTitle = 72;     // ~17 pt
constexpr int kIndent2 = 2 * kBody;  // two CJK characters
constexpr int kNumberHang = 56;      // width of "1. " in the body font

struct Party {
  std::string name;
  std::string uscc;
  std::string address;
  std::string contact;
  std::string phone;
  std::string mobile;
};

Party PartyA() {
  return {"上海明川贸易有限公司", MakeUscc("91", "310115", "MA1K4823"),
          "上海市浦东新区张杨路1288号16楼", "周晓岚", "021-6234 5678", "138 0013 8000"};
}

Party PartyB() {
  return {"北京云栈信息技术有限公司", MakeUscc("91", "110108", "MA7E5061"),
          "北京市海淀区中关村南大街27号5层", "韩子墨", "010-8265 4321", "139 1088 2046"};
}

// A clause: heading line, then numbered items (or one plain paragraph when
// there is a single item).
void AddClause(std::vector<Block>& blocks, const std::string& heading,
               const std::vector<std::string>& items) {
  blocks.push_back(Gap{14});
  blocks.push_back(Line{heading, kHeading});
  if (items.size() == 1) {
    blocks.push_back(Paragraph{items[0], kBody, kIndent2, 0});
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    blocks.push_back(Paragraph{std::to_string(i + 1) + ". " + items[i], kBody, kIndent2,
                               kIndent2 + kNumberHang});
  }
}

PageSpec ContractPage1() {
  const Party a = PartyA();
  const Party b = PartyB();
  PageSpec page{.name = "zh-contract-1",
                .language = "chi_sim",
                .kind = "contract",
                .notes = "service contract page 1 of 2; parties, amount, clauses 1-3"};
  auto& bl = page.blocks;
  bl.push_back(Line{"服务合同", kTitle, Align::kCenter});
  bl.push_back(Gap{30});
  bl.push_back(Line{"合同编号：HT-2026-0153", kBody, Align::kRight});
  bl.push_back(Gap{20});
  bl.push_back(Line{"甲方：" + a.name});
  bl.push_back(Line{"统一社会信用代码：" + a.uscc});
  bl.push_back(Line{"地址：" + a.address});
  bl.push_back(Columns{{{"联系人：" + a.contact, 0},
                        {"电话：" + a.phone, 620},
                        {"手机：" + a.mobile, 1240}}});
  bl.push_back(Gap{20});
  bl.push_back(Line{"乙方：" + b.name});
  bl.push_back(Line{"统一社会信用代码：" + b.uscc});
  bl.push_back(Line{"地址：" + b.address});
  bl.push_back(Columns{{{"联系人：" + b.contact, 0},
                        {"电话：" + b.phone, 620},
                        {"手机：" + b.mobile, 1240}}});
  bl.push_back(Gap{20});
  bl.push_back(Columns{{{"签订日期：2026年3月5日", 0}, {"签订地点：上海市浦东新区", 940}}});
  bl.push_back(Gap{20});
  bl.push_back(Paragraph{
      "根据《中华人民共和国民法典》及相关法律法规的规定，甲乙双方在平等、自愿、公平、"
      "诚实信用的基础上，就甲方委托乙方提供客户档案数字化服务事宜，经协商一致，订立本"
      "合同，以资共同遵守。",
      kBody, kIndent2, 0});
  AddClause(bl, "第一条 服务内容",
            {"乙方为甲方提供纸质客户档案的扫描、文字识别、整理编目及电子档案系统录入服务。",
             "服务范围包括甲方档案室现存客户档案约三万页，具体清单见本合同附件一。",
             "乙方应按照甲方《客户资料档案管理流程标准化手册》的要求完成档案编码与建档。"});
  AddClause(bl, "第二条 服务期限",
            {"本合同服务期限自2026年3月10日起至2026年6月30日止。乙方应于服务期限届满前"
             "完成全部服务内容并提交甲方验收。"});
  AddClause(bl, "第三条 合同金额及支付方式",
            {"合同金额：人民币肆万捌仟元整（¥48,000.00），含税。",
             "本合同签订后十个工作日内，甲方向乙方支付合同金额的百分之三十作为预付款；"
             "服务验收合格后十个工作日内支付剩余款项。",
             "乙方收款前应向甲方开具合法有效的增值税专用发票。"});
  bl.push_back(Footer{"第 1 页 共 2 页"});
  page.fields = {{"contract_number", "HT-2026-0153"},
                 {"party_a", a.name},
                 {"uscc", a.uscc},
                 {"contact", a.contact},
                 {"phone", a.phone},
                 {"mobile", a.mobile},
                 {"party_b", b.name},
                 {"party_b_uscc", b.uscc},
                 {"signing_date", "2026-03-05"},
                 {"amount", "48000.00"},
                 {"currency", "CNY"}};
  return page;
}

PageSpec ContractPage2() {
  const Party a = PartyA();
  const Party b = PartyB();
  PageSpec page{.name = "zh-contract-2",
                .language = "chi_sim",
                .kind = "contract",
                .notes = "service contract page 2 of 2; clauses 4-8, signatures, red seal "
                         "(colour page; seal not in ground truth)",
                .color = true};
  auto& bl = page.blocks;
  AddClause(bl, "第四条 甲方的权利和义务",
            {"甲方应在服务开始前向乙方提供档案清单，并指定专人负责档案交接。",
             "甲方有权对乙方的服务过程和成果进行检查，发现问题的，有权要求乙方限期整改。"});
  AddClause(bl, "第五条 乙方的权利和义务",
            {"乙方应妥善保管甲方交付的纸质档案，不得遗失、损毁、涂改或擅自复制。",
             "乙方工作人员须签署保密承诺书，未经甲方书面同意，不得向任何第三方披露档案内容。",
             "档案交接时双方应逐件清点并签字确认，归还时经甲方验收无误后方可办理注销手续。"});
  AddClause(bl, "第六条 违约责任",
            {"任何一方违反本合同约定的，应承担违约责任；因乙方原因造成档案遗失或信息泄露的，"
             "乙方应赔偿甲方由此遭受的全部损失。"});
  AddClause(bl, "第七条 争议解决",
            {"本合同履行过程中发生争议的，双方应协商解决；协商不成的，任何一方均可向甲方所在地"
             "人民法院提起诉讼。"});
  AddClause(bl, "第八条 其他",
            {"本合同一式两份，甲乙双方各执一份，具有同等法律效力，自双方签字盖章之日起生效。"});
  bl.push_back(Gap{110});
  // The seal sits over the blank right half of Party A's column, as a clerk
  // would stamp it next to the label; it overlaps no printed text.
  bl.push_back(Seal{a.name, "合同专用章", 700, 150, 440});
  bl.push_back(Columns{{{"甲方（盖章）：", 0}, {"乙方（盖章）：", 1000}}});
  bl.push_back(Gap{60});
  bl.push_back(Columns{{{"授权代表：", 0, 300}, {"授权代表：", 1000, 300}}});
  bl.push_back(Gap{60});
  bl.push_back(Columns{{{"日期：2026年3月5日", 0}, {"日期：2026年3月5日", 1000}}});
  bl.push_back(Footer{"第 2 页 共 2 页"});
  page.fields = {{"contract_number", "HT-2026-0153"},
                 {"party_a", a.name},
                 {"party_b", b.name},
                 {"signing_date", "2026-03-05"}};
  return page;
}

PageSpec RegistrationPage() {
  const Party a = PartyA();
  PageSpec page{.name = "zh-registration",
                .language = "chi_sim",
                .kind = "form",
                .notes = "customer registration form, ruled table; GT row = cells joined by a space"};
  auto& bl = page.blocks;
  bl.push_back(Line{"客户登记表", kTitle, Align::kCenter});
  bl.push_back(Gap{30});
  bl.push_back(Columns{{{"表单编号：KD-2026-0087", 0}, {"登记部门：客户服务部", 1100}}});
  bl.push_back(Gap{10});
  FormTable table{.column_fractions = {0.32, 0.68}};
  table.rows = {{"客户名称", a.name},
                {"客户类型", "企业客户"},
                {"统一社会信用代码", a.uscc},
                {"法定代表人", "陈国栋"},
                {"联系人", a.contact},
                {"联系电话", a.mobile},
                {"电子邮箱", "zhouxl@mingchuan.example.com"},
                {"地址", a.address},
                {"开户银行", "中国工商银行上海张江支行"},
                {"登记日期", "2026年3月6日"}};
  bl.push_back(table);
  bl.push_back(Gap{50});
  bl.push_back(Paragraph{"本表所填信息仅用于客户档案管理，未经客户同意不得向第三方提供。", kBody, 0, 0});
  bl.push_back(Gap{60});
  bl.push_back(Columns{{{"登记人：李思远", 0}, {"审核人：王建华", 1000}}});
  page.fields = {{"customer_name", a.name},
                 {"customer_type", "企业客户"},
                 {"uscc", a.uscc},
                 {"legal_representative", "陈国栋"},
                 {"contact", a.contact},
                 {"phone", a.mobile},
                 {"email", "zhouxl@mingchuan.example.com"},
                 {"address", a.address},
                 {"bank", "中国工商银行上海张江支行"},
                 {"registration_date", "2026-03-06"}};
  return page;
}

PageSpec UpsideDown(PageSpec page) {
  page.name += "-upside-down";
  page.rotation = 180;
  page.notes = "upside-down copy (180 degrees) of " + page.notes;
  return page;
}

PageSpec AgreementPage() {
  PageSpec page{.name = "en-agreement",
                .language = "eng",
                .kind = "contract",
                .notes = "English one-page service agreement with signature lines",
                .line_spacing = 1.6};
  auto& bl = page.blocks;
  auto clause = [&bl](const std::string& text) {
    bl.push_back(Gap{12});
    bl.push_back(Paragraph{text, kBody, 0, 0});
  };
  bl.push_back(Line{"SERVICE AGREEMENT", kTitle, Align::kCenter});
  bl.push_back(Gap{30});
  bl.push_back(Line{"Agreement No.: SA-2026-0419", kBody, Align::kRight});
  bl.push_back(Line{"Date: March 5, 2026", kBody, Align::kRight});
  bl.push_back(Gap{20});
  bl.push_back(Paragraph{"This Service Agreement is made between:"});
  bl.push_back(Paragraph{"Party A (Customer): Northbridge Freight Services Ltd., 48 Calder Street, "
                         "Leeds LS1 4QT, United Kingdom; contact: Eleanor Whitcombe, "
                         "phone +44 113 496 0731.",
                         kBody, 0, kIndent2});
  bl.push_back(Paragraph{"Party B (Provider): Lumen Records Management Ltd., Unit 7 Harbour Park, "
                         "Bristol BS1 6XN, United Kingdom.",
                         kBody, 0, kIndent2});
  clause("1. Services. Party B shall scan, index and archive the paper customer files "
         "delivered by Party A and shall return every original within ten working days "
         "of receipt.");
  clause("2. Term. This Agreement starts on March 10, 2026 and ends on June 30, 2026 "
         "unless terminated earlier under clause 7.");
  clause("3. Fees. Party A shall pay Party B a fixed fee of GBP 12,500.00, half on signature "
         "and half on acceptance of the archived files, within thirty days of invoice.");
  clause("4. Confidentiality. Party B shall keep all customer information confidential and "
         "shall not disclose it to any third party without the written consent of Party A.");
  clause("5. Custody. Originals remain the property of Party A. Party B shall store them in "
         "locked rooms and record every handover in a signed transfer list.");
  clause("6. Liability. Party B is liable for any loss of or damage to originals while they "
         "are in its custody.");
  clause("7. Termination. Either party may terminate this Agreement by thirty days written "
         "notice; files already delivered shall be returned at once.");
  clause("8. Governing Law. This Agreement is governed by the laws of England and Wales.");
  bl.push_back(Gap{90});
  bl.push_back(Columns{{{"For Party A:", 0, 0}, {"For Party B:", 1000, 0}}});
  bl.push_back(Gap{50});
  bl.push_back(Columns{{{"Signature:", 0, 560}, {"Signature:", 1000, 560}}});
  bl.push_back(Columns{{{"Name: Eleanor Whitcombe", 0}, {"Name: Rajiv Menon", 1000}}});
  bl.push_back(Columns{{{"Title: Operations Director", 0}, {"Title: Managing Director", 1000}}});
  page.fields = {{"contract_number", "SA-2026-0419"},
                 {"party_a", "Northbridge Freight Services Ltd."},
                 {"party_b", "Lumen Records Management Ltd."},
                 {"contact", "Eleanor Whitcombe"},
                 {"phone", "+44 113 496 0731"},
                 {"signing_date", "2026-03-05"},
                 {"amount", "12500.00"},
                 {"currency", "GBP"}};
  return page;
}

}  // namespace

std::vector<PageSpec> SamplePages() {
  std::vector<PageSpec> pages;
  pages.push_back(ContractPage1());
  pages.push_back(ContractPage2());
  pages.push_back(RegistrationPage());
  pages.push_back(AgreementPage());
  pages.push_back(UpsideDown(RegistrationPage()));
  return pages;
}

}  // namespace dossier::samples
