// Sheets the archive room prints, files and signs, as use cases: the
// document index of a customer file (卷内目录, operation customer.index),
// the contents of a box (location.sheet) and the overdue-loan list
// (loan.overdue with a sheet). Each gathers its rows from the domains,
// shows every time in the archive's zone, masks what the caller may not
// see and writes the PDF (archive/sheets.h) to a file outside the archive
// folder; one access-log entry per call.
#pragma once

#include <filesystem>
#include <string>

#include "app/station.h"

namespace dossier::app {

struct SheetOutput {
  std::filesystem::path to;  // the PDF to write (outside the archive)
  bool force = false;        // replace an existing regular file
  std::string font;          // CJK TrueType font file, '' = the default
};

struct SheetResult {
  std::string subject;  // customer code, location code, or the day
  int rows = 0;         // documents, originals or loans listed
  std::filesystem::path written;
};

// 卷内目录: every document of the customer file that is in it (filed,
// pending review, destroyed: not rejected or replaced scans), in archive
// number order: number, archive number, title, type, date (the signing
// date if one was read, else the day it was scanned, in the archive's
// zone), pages and a note.
Result<SheetResult> PrintCustomerIndex(Station& station, const Caller& caller,
                                       const std::string& customer,
                                       const SheetOutput& out);

// What a box (or any location) holds directly: barcode, customer, document
// and title, pages, state; the location's path and barcode on top.
Result<SheetResult> PrintBoxSheet(Station& station, const Caller& caller,
                                  const std::string& location,
                                  const SheetOutput& out);

// Loans past their due date on `today` ('' = today in the archive's zone):
// loan, original, customer and title, borrower with the contacts the
// archive has for them (a contact of the original's customer file by that
// name; phones masked without customer.pii), due date and days overdue.
Result<SheetResult> PrintOverdueSheet(Station& station, const Caller& caller,
                                      const std::string& today,
                                      const SheetOutput& out);

// Whole days from due to today (both YYYY-MM-DD); kInvalidArgument for a
// bad date.
Result<int> DaysBetween(const std::string& due, const std::string& today);

}  // namespace dossier::app
