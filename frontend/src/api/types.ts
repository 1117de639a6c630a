// The API's types, written by hand from src/api/openapi.yaml. Each type has a shape beside it
// (which properties are required, which may be null) that the compiler holds to the type and
// openapi.test.ts holds to openapi.yaml, so the two cannot drift apart unnoticed.

export const ROLES = ['owner', 'supervisor', 'agent'] as const;
export type Role = (typeof ROLES)[number];
export const TEAM_ROLES = ['supervisor', 'agent'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];
export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const TENANT_STATUSES = ['active', 'suspended', 'closed'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
export const WA_NUMBER_STATUSES = ['active', 'disconnected'] as const;
export type WaNumberStatus = (typeof WA_NUMBER_STATUSES)[number];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  presence: Presence;
  max_chats: number;
  locale: Locale;
  active: boolean;
  created_at: string;
  last_login_at?: string | null;
}

export interface Tenant {
  id: number;
  name: string;
  status: TenantStatus;
  timezone: string;
  locale: Locale;
  phone?: string | null;
  plan: string;
  created_at: string;
}

// Present in GET /me when a program asks with an API token (which acts with its own role).
export interface MeToken {
  id?: number;
  role?: Role;
}

export interface Me {
  user: User;
  tenant: Tenant;
  csrf_token?: string;
  token?: MeToken;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
export type UserPage = Page<User>;
export type TokenPage = Page<Token>;
export type WaNumberPage = Page<WaNumber>;

// A connected WhatsApp (Cloud API) number. Its secrets never come back, only whether one is stored.
export interface WaNumber {
  id: number;
  name?: string | null;
  phone_number_id: string;
  waba_id: string;
  display_phone_number?: string | null;
  throughput_mps: number;
  status: WaNumberStatus;
  has_access_token: boolean;
  has_app_secret: boolean;
  has_verify_token: boolean;
  created_at: string;
  updated_at: string;
}

// What Graph said when the owner tested a number (POST /wa-numbers/{id}/test).
export interface WaNumberTestError {
  code?: number | null;
  message?: string; // English
  message_id?: string; // Bahasa Indonesia
}
export interface WaNumberTest {
  ok: boolean;
  display_phone_number?: string | null;
  verified_name?: string | null;
  quality_rating?: string | null;
  error?: WaNumberTestError;
  needs_new_token?: boolean;
}

export interface Token {
  id: number;
  name: string;
  role: Role;
  hint: string;
  created_by: number;
  created_at: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

// Request and response bodies of the routes the app calls.
export interface SignupRequest {
  business_name: string;
  name: string;
  email: string;
  password: string;
  phone?: string;
  timezone?: string;
}
export interface LoginRequest {
  email: string;
  password: string;
}
export interface MeUpdate {
  name?: string;
  locale?: Locale;
}
export interface PasswordChange {
  current_password: string;
  new_password: string;
}
export interface PresenceChange {
  presence: Presence;
}
export interface PresenceResult {
  presence?: Presence;
  presence_at?: string;
}
export interface UserCreate {
  email: string;
  name: string;
  password: string;
  role: TeamRole;
  max_chats?: number;
}
export interface UserUpdate {
  name?: string;
  role?: TeamRole;
  max_chats?: number;
  active?: boolean;
  password?: string;
}
export interface TokenCreate {
  name: string;
  role?: Role;
}
export interface TokenCreated {
  token: Token;
  secret: string;
}
export interface WaNumberCreate {
  phone_number_id: string;
  waba_id: string;
  display_phone_number: string;
  access_token: string;
  app_secret?: string;
  verify_token?: string;
  throughput_mps?: number;
  name?: string;
}
export interface WaNumberUpdate {
  name?: string;
  display_phone_number?: string;
  throughput_mps?: number;
  access_token?: string;
  app_secret?: string;
  verify_token?: string;
}

// ---------------------------------------------------------------------------------------------
// The team inbox: conversations, messages, notes, quick replies, media, chat owners.

export const CONVERSATION_STATUSES = ['open', 'pending', 'resolved', 'snoozed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export interface LabelRef {
  id: number;
  name: string;
  color: string;
}

export interface ConversationContact {
  id: number;
  name: string | null;
  profile_name: string | null;
  phone: string | null;
  wa_id: string | null;
  last_inbound_at?: string | null;
}

export interface LastMessage {
  id?: number;
  direction?: 'in' | 'out';
  type?: string;
  preview?: string | null;
  status?: string | null;
  at?: string;
}

export interface Conversation {
  id: number;
  status: ConversationStatus;
  priority: string;
  assignee: { id?: number; name?: string } | null;
  contact: ConversationContact;
  labels: LabelRef[];
  last_message: LastMessage | null;
  unread_count: number;
  snoozed_until: string | null;
  last_message_at: string | null;
  opened_at: string;
  activity_at: string;
  sla: ConversationSla | ConversationSlaTimes; // the times only in list items
}
export type ConversationPage = Page<Conversation>;

// The SLA times every inbox list item carries (what the list's badge needs).
export interface ConversationSlaTimes {
  first_response_at?: string | null;
  sla_due_at?: string | null;
  sla_warned_at?: string | null;
  sla_breached_at?: string | null;
}

// A chat's first-response SLA (GET /conversations/{id}/sla, and inside GET /conversations/{id}).
export interface ConversationSla extends ConversationSlaTimes {
  conversation_id: number;
  first_inbound_at?: string | null;
  first_response_seconds?: number | null;
  first_response_business_seconds?: number | null;
  resolution_seconds?: number | null;
  resolution_business_seconds?: number | null;
}

export interface MessageMedia {
  id: number;
  mime_type: string | null;
  size: number | null;
  status: 'pending' | 'stored' | 'failed' | 'refused';
  url: string;
}

// The type's own object as stored (Meta's shape); the timeline reads what it knows of it.
export type TypeObject = Record<string, unknown>;

export interface Message {
  id: number;
  conversation_id: number;
  direction: 'in' | 'out';
  type: string;
  text?: { body?: string | null };
  template?: TypeObject;
  image?: TypeObject;
  video?: TypeObject;
  audio?: TypeObject;
  document?: TypeObject;
  sticker?: TypeObject;
  interactive?: TypeObject;
  reaction?: { message_id?: string; emoji?: string };
  read?: { message_id?: string };
  reply_to_wamid?: string | null;
  body?: string | null;
  status: string | null;
  wamid?: string | null;
  error?: { code?: number; title?: string | null; message?: string | null } | null;
  sent_by?: number | null;
  created_at?: string;
  sent_at?: string | null;
  media?: MessageMedia;
}
export type MessagePage = Page<Message>;

// What the composer sends: one type and its object (openapi.yaml: a oneOf per type).
export interface MessageSend {
  type: string;
  reply_to?: number;
  text?: { body: string };
  template?: TypeObject;
  image?: { id: string };
  video?: { id: string };
  audio?: { id: string };
  document?: { id: string; filename?: string };
  sticker?: { id: string };
  interactive?: TypeObject;
  reaction?: { message_id: number; emoji: string };
}

export interface Note {
  id: number;
  kind: 'note';
  conversation_id: number;
  body: string;
  author: { id?: number; name?: string } | null;
  created_at: string;
}
export type NotePage = Page<Note>;
export interface NoteCreate {
  body: string;
}

export interface ReadMarker {
  conversation_id: number;
  last_read_message_id: number;
  unread_count: number;
}

export interface ChatOwner {
  id: number;
  status: string;
  assignee_id: number | null;
  assignee_name?: string | null;
  assigned_at?: string | null;
  escalated: boolean;
  escalated_at?: string | null;
  escalated_by?: number | null;
  escalation_reason?: string | null;
}

export interface TransferRequest {
  user_id: number;
}

// Live events: the typing notice and a chat's first-response SLA.
export interface TypingNotice {
  conversation_id: number;
  expires_at: string;
}

export interface EscalateRequest {
  reason: string;
}

export interface RenderedQuickReply {
  id: number;
  shortcut: string;
  body: string;
  text: string;
}
export interface RenderedQuickReplies {
  items: RenderedQuickReply[];
}

export interface Media {
  id: number;
  graph_media_id: string | null;
  type: 'image' | 'video' | 'audio' | 'document' | 'sticker' | null;
  mime_type: string | null;
  size: number;
  sha256: string | null;
  filename: string | null;
  status: 'pending' | 'stored' | 'failed' | 'refused';
  url: string;
}

// WhatsApp message templates (Meta's components, as Meta holds them).
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];
export interface TemplateComponent {
  type: string;
  format?: string;
  text?: string;
  example?: Record<string, unknown>;
  buttons?: Record<string, unknown>[];
}
export interface Template {
  id: number;
  waba_id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  components: TemplateComponent[];
  parameter_format: 'POSITIONAL' | 'NAMED';
  body_params: string[];
  header_params: string[];
  status: string;
  rejection_reason: string | null;
  meta_template_id: string | null;
  status_at: string;
  created_at: string;
  updated_at: string;
}
export type TemplatePage = Page<Template>;
export interface TemplateCreate {
  name: string;
  language: string;
  category: 'MARKETING' | 'UTILITY';
  parameter_format?: 'positional' | 'named';
  components: TemplateComponent[];
  wa_number_id?: number;
}
export interface TemplateSync {
  wa_number_id?: number;
}
export interface TemplateSyncResult {
  synced: number;
  removed: number;
  skipped: number;
}

// ---------------------------------------------------------------------------------------------
// Contacts (the shop's customer records) and orders recorded from chats. Money is whole rupiah.

export const LEAD_STATUSES = ['hot', 'warm', 'cold'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const PAYMENT_STATUSES = ['unpaid', 'paid', 'cancelled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Contact {
  id: number;
  name: string | null; // the shop's display name
  profile_name: string | null; // what WhatsApp reports
  phone: string | null;
  wa_id: string | null;
  lead_status: LeadStatus | null;
  city: string | null;
  birthday: string | null; // YYYY-MM-DD
  note: string | null;
  marketing_opt_out: boolean;
  marketing_opt_out_at: string | null;
  last_inbound_at: string | null;
  created_at: string;
  updated_at: string;
  labels: LabelRef[];
}
export type ContactPage = Page<Contact>;
export interface OrderSummary {
  order_count: number;
  paid_total: number;
  unpaid_total: number;
  last_order_at: string | null;
}
export interface ContactDetail extends Contact {
  order_summary: OrderSummary;
}
export interface ContactCreate {
  phone: string;
  name?: string | null;
  lead_status?: LeadStatus | null;
  city?: string | null;
  birthday?: string | null;
  note?: string | null;
}
export interface ContactUpdate {
  name?: string | null;
  lead_status?: LeadStatus | null;
  city?: string | null;
  birthday?: string | null;
  note?: string | null;
  marketing_opt_out?: true;
}

export interface Label extends LabelRef {
  created_at: string;
}
export type LabelPage = Page<Label>;
export interface ContactLabelsSet {
  label_ids: number[];
}
export interface ContactLabels {
  contact_id: number;
  labels: LabelRef[];
}

export interface OrderItem {
  name: string;
  qty: number;
  unit_price: number;
}
export interface Order {
  id: number;
  contact_id: number;
  contact_name: string | null;
  conversation_id: number | null;
  created_by: number | null;
  items: OrderItem[];
  total: number;
  payment_status: PaymentStatus;
  paid_at: string | null;
  cancelled_at: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}
export type OrderPage = Page<Order>;
export interface OrderCreate {
  conversation_id?: number;
  contact_id?: number;
  items: OrderItem[];
  payment_status?: 'unpaid' | 'paid';
  note?: string | null;
}
export interface OrderUpdate {
  payment_status?: PaymentStatus;
  items?: OrderItem[];
  note?: string | null;
}

// ---------------------------------------------------------------------------------------------
// The owner's business settings: distribution, service hours and SLA, keyword auto-replies.

export const DISTRIBUTION_MODES = ['round_robin', 'manual'] as const;
export type DistributionMode = (typeof DISTRIBUTION_MODES)[number];
export const AUTO_REPLY_MATCHES = ['exact', 'contains'] as const;
export type AutoReplyMatch = (typeof AUTO_REPLY_MATCHES)[number];

export interface Settings {
  distribution_mode: DistributionMode;
  offline_grace_seconds: number;
  updated_at?: string | null;
}
export interface SettingsUpdate {
  distribution_mode?: DistributionMode;
  offline_grace_seconds?: number;
}

// One opening window in the business's time zone; end before start crosses midnight.
export interface HoursWindow {
  day: number; // 0 Sunday ... 6 Saturday
  start: string; // "08:00"
  end: string; // "12:00", "24:00"
}

export interface ServiceSettings {
  timezone: string;
  business_hours: HoursWindow[] | null; // null: always open
  closed_dates: string[];
  greeting_enabled: boolean;
  greeting_text: string | null;
  away_enabled: boolean;
  away_text: string | null;
  sla_first_response_seconds: number;
  sla_out_of_hours_seconds: number | null;
  sla_warning_seconds: number;
  sla_auto_escalate: boolean;
  open_now: boolean;
  next_change_at: number | null;
}
export interface ServiceSettingsUpdate {
  business_hours?: HoursWindow[] | null;
  closed_dates?: string[];
  greeting_enabled?: boolean;
  greeting_text?: string | null;
  away_enabled?: boolean;
  away_text?: string | null;
  sla_first_response_seconds?: number;
  sla_out_of_hours_seconds?: number | null;
  sla_warning_seconds?: number;
  sla_auto_escalate?: boolean;
}

export interface AutoReply {
  id: number;
  keywords: string[];
  match: AutoReplyMatch;
  reply_text: string;
  active: boolean;
  created_at: string;
  updated_at: string;
}
export type AutoReplyPage = Page<AutoReply>;
export interface AutoReplyCreate {
  keywords: string[];
  match?: AutoReplyMatch;
  reply_text: string;
  active?: boolean;
}
export interface AutoReplyUpdate {
  keywords?: string[];
  match?: AutoReplyMatch;
  reply_text?: string;
  active?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Shapes: for every property, whether it is required and whether it may be null. The mapped
// type makes the compiler reject a shape that misses a property of the type, names one the type
// lacks, or says required/nullable where the type says otherwise.

type IsOptional<T, K extends keyof T> = {} extends Pick<T, K> ? true : false;
type IsNullable<T, K extends keyof T> = null extends T[K] ? true : false;
type Requiredness<T, K extends keyof T> = IsOptional<T, K> extends true ? 'optional' : 'required';
type Nullability<T, K extends keyof T> = IsNullable<T, K> extends true ? ' nullable' : '';
export type Shape<T> = { [K in keyof T]-?: `${Requiredness<T, K>}${Nullability<T, K>}` };
export type ShapeValue = 'required' | 'optional' | 'required nullable' | 'optional nullable';

export const shapes = {
  User: {
    id: 'required',
    email: 'required',
    name: 'required',
    role: 'required',
    presence: 'required',
    max_chats: 'required',
    locale: 'required',
    active: 'required',
    created_at: 'required',
    last_login_at: 'optional nullable',
  } satisfies Shape<User>,
  Tenant: {
    id: 'required',
    name: 'required',
    status: 'required',
    timezone: 'required',
    locale: 'required',
    phone: 'optional nullable',
    plan: 'required',
    created_at: 'required',
  } satisfies Shape<Tenant>,
  Me: {
    user: 'required',
    tenant: 'required',
    csrf_token: 'optional',
    token: 'optional',
  } satisfies Shape<Me>,
  MeToken: { id: 'optional', role: 'optional' } satisfies Shape<MeToken>,
  UserPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<UserPage>,
  TokenPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<TokenPage>,
  Token: {
    id: 'required',
    name: 'required',
    role: 'required',
    hint: 'required',
    created_by: 'required',
    created_at: 'required',
    last_used_at: 'optional nullable',
    revoked_at: 'optional nullable',
  } satisfies Shape<Token>,
  Problem: {
    type: 'required',
    title: 'required',
    status: 'required',
    detail: 'optional',
    instance: 'optional',
    errors: 'optional',
  } satisfies Shape<Problem>,
  FieldError: { field: 'required', message: 'required' } satisfies Shape<FieldError>,
  SignupRequest: {
    business_name: 'required',
    name: 'required',
    email: 'required',
    password: 'required',
    phone: 'optional',
    timezone: 'optional',
  } satisfies Shape<SignupRequest>,
  LoginRequest: { email: 'required', password: 'required' } satisfies Shape<LoginRequest>,
  MeUpdate: { name: 'optional', locale: 'optional' } satisfies Shape<MeUpdate>,
  PasswordChange: {
    current_password: 'required',
    new_password: 'required',
  } satisfies Shape<PasswordChange>,
  PresenceChange: { presence: 'required' } satisfies Shape<PresenceChange>,
  PresenceResult: { presence: 'optional', presence_at: 'optional' } satisfies Shape<PresenceResult>,
  UserCreate: {
    email: 'required',
    name: 'required',
    password: 'required',
    role: 'required',
    max_chats: 'optional',
  } satisfies Shape<UserCreate>,
  UserUpdate: {
    name: 'optional',
    role: 'optional',
    max_chats: 'optional',
    active: 'optional',
    password: 'optional',
  } satisfies Shape<UserUpdate>,
  TokenCreate: { name: 'required', role: 'optional' } satisfies Shape<TokenCreate>,
  TokenCreated: { token: 'required', secret: 'required' } satisfies Shape<TokenCreated>,
  WaNumber: {
    id: 'required',
    name: 'optional nullable',
    phone_number_id: 'required',
    waba_id: 'required',
    display_phone_number: 'optional nullable',
    throughput_mps: 'required',
    status: 'required',
    has_access_token: 'required',
    has_app_secret: 'required',
    has_verify_token: 'required',
    created_at: 'required',
    updated_at: 'required',
  } satisfies Shape<WaNumber>,
  WaNumberPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<WaNumberPage>,
  WaNumberCreate: {
    phone_number_id: 'required',
    waba_id: 'required',
    display_phone_number: 'required',
    access_token: 'required',
    app_secret: 'optional',
    verify_token: 'optional',
    throughput_mps: 'optional',
    name: 'optional',
  } satisfies Shape<WaNumberCreate>,
  WaNumberUpdate: {
    name: 'optional',
    display_phone_number: 'optional',
    throughput_mps: 'optional',
    access_token: 'optional',
    app_secret: 'optional',
    verify_token: 'optional',
  } satisfies Shape<WaNumberUpdate>,
  WaNumberTest: {
    ok: 'required',
    display_phone_number: 'optional nullable',
    verified_name: 'optional nullable',
    quality_rating: 'optional nullable',
    error: 'optional',
    needs_new_token: 'optional',
  } satisfies Shape<WaNumberTest>,
  Conversation: {
    id: 'required',
    status: 'required',
    priority: 'required',
    assignee: 'required nullable',
    contact: 'required',
    labels: 'required',
    last_message: 'required nullable',
    unread_count: 'required',
    snoozed_until: 'required nullable',
    last_message_at: 'required nullable',
    opened_at: 'required',
    activity_at: 'required',
    sla: 'required',
  } satisfies Shape<Conversation>,
  ConversationPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<ConversationPage>,
  Message: {
    id: 'required',
    conversation_id: 'required',
    direction: 'required',
    type: 'required',
    text: 'optional',
    template: 'optional',
    image: 'optional',
    video: 'optional',
    audio: 'optional',
    document: 'optional',
    sticker: 'optional',
    interactive: 'optional',
    reaction: 'optional',
    read: 'optional',
    reply_to_wamid: 'optional nullable',
    body: 'optional nullable',
    status: 'required nullable',
    wamid: 'optional nullable',
    error: 'optional nullable',
    sent_by: 'optional nullable',
    created_at: 'optional',
    sent_at: 'optional nullable',
    media: 'optional',
  } satisfies Shape<Message>,
  MessagePage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<MessagePage>,
  MessageSend: {
    type: 'required',
    reply_to: 'optional',
    text: 'optional',
    template: 'optional',
    image: 'optional',
    video: 'optional',
    audio: 'optional',
    document: 'optional',
    sticker: 'optional',
    interactive: 'optional',
    reaction: 'optional',
  } satisfies Shape<MessageSend>,
  Note: {
    id: 'required',
    kind: 'required',
    conversation_id: 'required',
    body: 'required',
    author: 'required nullable',
    created_at: 'required',
  } satisfies Shape<Note>,
  NotePage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<NotePage>,
  NoteCreate: { body: 'required' } satisfies Shape<NoteCreate>,
  ReadMarker: {
    conversation_id: 'required',
    last_read_message_id: 'required',
    unread_count: 'required',
  } satisfies Shape<ReadMarker>,
  ChatOwner: {
    id: 'required',
    status: 'required',
    assignee_id: 'required nullable',
    assignee_name: 'optional nullable',
    assigned_at: 'optional nullable',
    escalated: 'required',
    escalated_at: 'optional nullable',
    escalated_by: 'optional nullable',
    escalation_reason: 'optional nullable',
  } satisfies Shape<ChatOwner>,
  TransferRequest: { user_id: 'required' } satisfies Shape<TransferRequest>,
  TypingNotice: { conversation_id: 'required', expires_at: 'required' } satisfies Shape<TypingNotice>,
  ConversationSla: {
    conversation_id: 'required',
    first_inbound_at: 'optional nullable',
    first_response_at: 'optional nullable',
    sla_due_at: 'optional nullable',
    sla_warned_at: 'optional nullable',
    sla_breached_at: 'optional nullable',
    first_response_seconds: 'optional nullable',
    first_response_business_seconds: 'optional nullable',
    resolution_seconds: 'optional nullable',
    resolution_business_seconds: 'optional nullable',
  } satisfies Shape<ConversationSla>,
  EscalateRequest: { reason: 'required' } satisfies Shape<EscalateRequest>,
  RenderedQuickReplies: { items: 'required' } satisfies Shape<RenderedQuickReplies>,
  Media: {
    id: 'required',
    graph_media_id: 'required nullable',
    type: 'required nullable',
    mime_type: 'required nullable',
    size: 'required',
    sha256: 'required nullable',
    filename: 'required nullable',
    status: 'required',
    url: 'required',
  } satisfies Shape<Media>,
  Template: {
    id: 'required',
    waba_id: 'required',
    name: 'required',
    language: 'required',
    category: 'required',
    components: 'required',
    parameter_format: 'required',
    body_params: 'required',
    header_params: 'required',
    status: 'required',
    rejection_reason: 'required nullable',
    meta_template_id: 'required nullable',
    status_at: 'required',
    created_at: 'required',
    updated_at: 'required',
  } satisfies Shape<Template>,
  TemplatePage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<TemplatePage>,
  TemplateCreate: {
    name: 'required',
    language: 'required',
    category: 'required',
    parameter_format: 'optional',
    components: 'required',
    wa_number_id: 'optional',
  } satisfies Shape<TemplateCreate>,
  TemplateSync: { wa_number_id: 'optional' } satisfies Shape<TemplateSync>,
  TemplateSyncResult: {
    synced: 'required',
    removed: 'required',
    skipped: 'required',
  } satisfies Shape<TemplateSyncResult>,
  Contact: {
    id: 'required',
    name: 'required nullable',
    profile_name: 'required nullable',
    phone: 'required nullable',
    wa_id: 'required nullable',
    lead_status: 'required nullable',
    city: 'required nullable',
    birthday: 'required nullable',
    note: 'required nullable',
    marketing_opt_out: 'required',
    marketing_opt_out_at: 'required nullable',
    last_inbound_at: 'required nullable',
    created_at: 'required',
    updated_at: 'required',
    labels: 'required',
  } satisfies Shape<Contact>,
  ContactDetail: {
    id: 'required',
    name: 'required nullable',
    profile_name: 'required nullable',
    phone: 'required nullable',
    wa_id: 'required nullable',
    lead_status: 'required nullable',
    city: 'required nullable',
    birthday: 'required nullable',
    note: 'required nullable',
    marketing_opt_out: 'required',
    marketing_opt_out_at: 'required nullable',
    last_inbound_at: 'required nullable',
    created_at: 'required',
    updated_at: 'required',
    labels: 'required',
    order_summary: 'required',
  } satisfies Shape<ContactDetail>,
  ContactPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<ContactPage>,
  ContactCreate: {
    phone: 'required',
    name: 'optional nullable',
    lead_status: 'optional nullable',
    city: 'optional nullable',
    birthday: 'optional nullable',
    note: 'optional nullable',
  } satisfies Shape<ContactCreate>,
  ContactUpdate: {
    name: 'optional nullable',
    lead_status: 'optional nullable',
    city: 'optional nullable',
    birthday: 'optional nullable',
    note: 'optional nullable',
    marketing_opt_out: 'optional',
  } satisfies Shape<ContactUpdate>,
  LabelPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<LabelPage>,
  ContactLabelsSet: { label_ids: 'required' } satisfies Shape<ContactLabelsSet>,
  ContactLabels: { contact_id: 'required', labels: 'required' } satisfies Shape<ContactLabels>,
  Order: {
    id: 'required',
    contact_id: 'required',
    contact_name: 'required nullable',
    conversation_id: 'required nullable',
    created_by: 'required nullable',
    items: 'required',
    total: 'required',
    payment_status: 'required',
    paid_at: 'required nullable',
    cancelled_at: 'required nullable',
    note: 'required nullable',
    created_at: 'required',
    updated_at: 'required',
  } satisfies Shape<Order>,
  OrderPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<OrderPage>,
  OrderCreate: {
    conversation_id: 'optional',
    contact_id: 'optional',
    items: 'required',
    payment_status: 'optional',
    note: 'optional nullable',
  } satisfies Shape<OrderCreate>,
  OrderUpdate: {
    payment_status: 'optional',
    items: 'optional',
    note: 'optional nullable',
  } satisfies Shape<OrderUpdate>,
  Settings: {
    distribution_mode: 'required',
    offline_grace_seconds: 'required',
    updated_at: 'optional nullable',
  } satisfies Shape<Settings>,
  SettingsUpdate: {
    distribution_mode: 'optional',
    offline_grace_seconds: 'optional',
  } satisfies Shape<SettingsUpdate>,
  ServiceSettings: {
    timezone: 'required',
    business_hours: 'required nullable',
    closed_dates: 'required',
    greeting_enabled: 'required',
    greeting_text: 'required nullable',
    away_enabled: 'required',
    away_text: 'required nullable',
    sla_first_response_seconds: 'required',
    sla_out_of_hours_seconds: 'required nullable',
    sla_warning_seconds: 'required',
    sla_auto_escalate: 'required',
    open_now: 'required',
    next_change_at: 'required nullable',
  } satisfies Shape<ServiceSettings>,
  ServiceSettingsUpdate: {
    business_hours: 'optional nullable',
    closed_dates: 'optional',
    greeting_enabled: 'optional',
    greeting_text: 'optional nullable',
    away_enabled: 'optional',
    away_text: 'optional nullable',
    sla_first_response_seconds: 'optional',
    sla_out_of_hours_seconds: 'optional nullable',
    sla_warning_seconds: 'optional',
    sla_auto_escalate: 'optional',
  } satisfies Shape<ServiceSettingsUpdate>,
  AutoReply: {
    id: 'required',
    keywords: 'required',
    match: 'required',
    reply_text: 'required',
    active: 'required',
    created_at: 'required',
    updated_at: 'required',
  } satisfies Shape<AutoReply>,
  AutoReplyPage: { items: 'required', next_cursor: 'required nullable' } satisfies Shape<AutoReplyPage>,
  AutoReplyCreate: {
    keywords: 'required',
    match: 'optional',
    reply_text: 'required',
    active: 'optional',
  } satisfies Shape<AutoReplyCreate>,
  AutoReplyUpdate: {
    keywords: 'optional',
    match: 'optional',
    reply_text: 'optional',
    active: 'optional',
  } satisfies Shape<AutoReplyUpdate>,
} as const;

export type ShapeName = keyof typeof shapes;

// The enums the app relies on, checked against openapi.yaml too.
export const enums = {
  Role: ROLES,
  Presence: PRESENCES,
  Locale: LOCALES,
  'Tenant.status': TENANT_STATUSES,
  'UserCreate.role': TEAM_ROLES,
  'UserUpdate.role': TEAM_ROLES,
  'WaNumber.status': WA_NUMBER_STATUSES,
  'Conversation.status': CONVERSATION_STATUSES,
  'Template.category': TEMPLATE_CATEGORIES,
  PaymentStatus: PAYMENT_STATUSES,
  'Settings.distribution_mode': DISTRIBUTION_MODES,
  'AutoReply.match': AUTO_REPLY_MATCHES,
} as const;
