// The JSON shapes the server sends (docs/json.md; the same structs as the
// CLI's --json). Only the keys the UI reads are listed.

export interface Me {
  user: string;
  roles: string[];
  permissions: string[];
  csrf: string;
  zone: string;
}

export interface Warning { code: string; message: string; }

export interface DocumentRecord {
  document: string;
  customer: string;
  customer_name: string;
  type: string;
  title: string;
  status: string;
  archive_number: string | null;
  pages: number;
  mean_confidence: number;
  created_by: string;
  created_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
  warnings: Warning[];
}

export interface Box { x: number; y: number; w: number; h: number; text?: string; }

export interface Field {
  name: string;
  value: string;
  raw: string;
  problem: string | null;
  confidence: number;
  page: number;
  source: string;
  by: string | null;
  at: string | null;
  boxes?: Box[];
}

export interface PageInfo { page: number; width: number; height: number; dpi: number; confidence: number; }

export interface HistoryEntry {
  record: string; table: string; field: string;
  old: string | null; new: string | null; by: string; at: string;
}

export interface Original {
  barcode: string;
  document: string | null;
  customer: string;
  customer_name: string;
  title: string | null;
  pages: number;
  location: string;
  location_path: string;
  state: string;
  loan: string | null;
}

export interface Loan {
  loan: string;
  kind: string;
  status: string;
  barcode: string | null;
  document: string | null;
  title: string | null;
  requested_by: string;
  requested_at: string;
  purpose: string;
  recipient: string;
  external: boolean;
  due_date: string;
  approvals_needed: number;
  approvals: { round: number; decision: string; note: string; by: string; at: string }[];
  checked_out_at: string | null;
  returned_at: string | null;
}

export interface DocumentView extends DocumentRecord {
  page_list: PageInfo[];
  fields: Field[];
  originals: Original[];
  open_loans: Loan[];
  holds: Hold[];
  history?: HistoryEntry[];
}

export interface ReviewSheet extends DocumentRecord {
  fields: Field[];
  proposed_links: { customer: string; name: string; reason: string }[];
  doubtful_pages: { page: number; confidence: number; words: number; doubtful: string[] }[];
  page_list?: PageInfo[];
}

export interface SearchHit {
  document: string;
  customer: string;
  customer_name?: string;
  title: string;
  type: string;
  page: number;
  status: string;
  score: number;
  snippet: string;
  matched: string;
}

export interface Customer {
  code: string; name: string; kind: string; parent: string | null;
  uscc: string | null; id_number: string | null; phone: string | null;
  email: string | null; address: string | null; created_by: string; created_at: string;
}

export interface Contact { customer: string; role: string; name: string; phone: string | null; email: string | null; }

export interface CustomerFile extends Customer {
  members: Customer[];
  contacts: Contact[];
  documents: DocumentRecord[];
  originals?: Original[];
}

export interface Location {
  code: string; barcode: string; kind: string; name: string; parent: string | null;
  path: string; capacity: number | null; originals: number;
}

export interface Audit {
  audit: string; location: string; location_path: string; status: string;
  started_by: string; started_at: string; closed_by: string | null; closed_at: string | null;
  scans: number; found: number; missing: number; misplaced: number; unknown: number;
  on_loan: number; duplicates: number;
}

export interface AuditLine {
  category: string; barcode: string; customer: string | null; customer_name: string | null;
  title: string | null; registered_at: string | null; found_at: string | null; suggested_to: string | null;
  scans: number;
}

export interface RetentionStatus {
  document: string; archive_number: string | null; customer: string; type: string;
  title: string; event: string; event_date: string | null; years: number;
  due_on: string | null; due: boolean; blocked_by: string[];
}

export interface Hold {
  hold: string; target: string; reason: string; active: boolean;
  placed_by: string; placed_at: string;
}

export interface DestructionBatch {
  batch: string; status: string; reason: string; proposed_by: string; proposed_at: string;
  approved_by: string | null; approved_at: string | null;
  items: { document: string; title: string; customer: string; customer_name: string; due_on: string }[];
}

export interface LogEntry {
  seq: number; at: string; by: string; operation: string; args: unknown;
  records: string[] | string; outcome: string; detail: string | null;
}

// A count is null when the caller may not see it.
export interface Dashboard {
  pending_reviews: number | null; overdue_loans: number | null; pending_loans?: number | null;
  open_audits: number | null; destructions_due: number | null;
}

// An item of the work queue of `dossier worker` (GET /api/work): its
// payload is what `dossier ingest --queue` asked for, its result the
// documents the worker filed (app/queue.cc).
export interface WorkFile { spooled: string; name: string; }
export interface WorkDocument { inputs: string[]; document?: string; duplicate: boolean; error?: string; }
export interface WorkItem {
  item: string; kind: string; state: string; enqueued_by: string; enqueued_at: string;
  worker: string | null; attempts: number; started_at: string | null; finished_at: string | null;
  payload: { capture?: { customer?: string; type?: string; title?: string }; files?: WorkFile[] } | null;
  result: { documents?: WorkDocument[]; pages?: number; stored?: number; duplicates?: number;
            failed?: number } | null;
  error: string | null;
}
