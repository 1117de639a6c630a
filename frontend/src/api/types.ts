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
} as const;
