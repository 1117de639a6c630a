// The typed API client: the only place the app talks HTTP. Every route it calls is listed in
// `endpoints` (checked against src/api/openapi.yaml by openapi.test.ts); errors come back as
// ApiError carrying the problem type's slug and the field errors, never as raw responses.
import type {
  AutoReply,
  AutoReplyCreate,
  AutoReplyPage,
  AutoReplyUpdate,
  ChatOwner,
  ConversationSla,
  ContactCreate,
  ContactDetail,
  ContactLabels,
  ContactLabelsSet,
  ContactPage,
  ContactUpdate,
  LabelPage,
  Order,
  OrderCreate,
  OrderPage,
  OrderUpdate,
  Conversation,
  ConversationPage,
  EscalateRequest,
  FieldError,
  Media,
  MessagePage,
  MessageSend,
  Message,
  NoteCreate,
  Note,
  NotePage,
  ReadMarker,
  RenderedQuickReplies,
  Template,
  TemplateCreate,
  TemplatePage,
  TemplateSync,
  TemplateSyncResult,
  LoginRequest,
  ServiceSettings,
  ServiceSettingsUpdate,
  Settings,
  SettingsUpdate,
  Me,
  MeUpdate,
  PasswordChange,
  PresenceChange,
  PresenceResult,
  Problem,
  ShapeName,
  SignupRequest,
  TokenCreate,
  TokenCreated,
  TokenPage,
  TransferRequest,
  TypingNotice,
  User,
  UserCreate,
  UserPage,
  UserUpdate,
  WaNumber,
  WaNumberCreate,
  WaNumberPage,
  WaNumberTest,
  WaNumberUpdate,
} from './types';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Endpoint {
  method: Method;
  path: string; // an openapi.yaml path, {id} included
  status: number; // the success status
  request?: ShapeName; // the request body's shape
  response?: ShapeName; // the success body's shape
  session?: false; // false: a 401 means bad credentials, not an ended session
}

export const endpoints = {
  signup: {
    method: 'POST',
    path: '/api/v1/signup',
    status: 201,
    request: 'SignupRequest',
    response: 'Me',
    session: false,
  },
  login: {
    method: 'POST',
    path: '/api/v1/auth/login',
    status: 200,
    request: 'LoginRequest',
    response: 'Me',
    session: false,
  },
  logout: { method: 'POST', path: '/api/v1/auth/logout', status: 204 },
  me: { method: 'GET', path: '/api/v1/me', status: 200, response: 'Me' },
  updateMe: {
    method: 'PATCH',
    path: '/api/v1/me',
    status: 200,
    request: 'MeUpdate',
    response: 'User',
  },
  changePassword: {
    method: 'PUT',
    path: '/api/v1/me/password',
    status: 204,
    request: 'PasswordChange',
  },
  setPresence: {
    method: 'PUT',
    path: '/api/v1/me/presence',
    status: 200,
    request: 'PresenceChange',
    response: 'PresenceResult',
  },
  listUsers: { method: 'GET', path: '/api/v1/users', status: 200, response: 'UserPage' },
  createUser: {
    method: 'POST',
    path: '/api/v1/users',
    status: 201,
    request: 'UserCreate',
    response: 'User',
  },
  updateUser: {
    method: 'PATCH',
    path: '/api/v1/users/{id}',
    status: 200,
    request: 'UserUpdate',
    response: 'User',
  },
  deactivateUser: { method: 'DELETE', path: '/api/v1/users/{id}', status: 204 },
  listTokens: { method: 'GET', path: '/api/v1/tokens', status: 200, response: 'TokenPage' },
  createToken: {
    method: 'POST',
    path: '/api/v1/tokens',
    status: 201,
    request: 'TokenCreate',
    response: 'TokenCreated',
  },
  revokeToken: { method: 'DELETE', path: '/api/v1/tokens/{id}', status: 204 },
  listWaNumbers: { method: 'GET', path: '/api/v1/wa-numbers', status: 200, response: 'WaNumberPage' },
  createWaNumber: {
    method: 'POST',
    path: '/api/v1/wa-numbers',
    status: 201,
    request: 'WaNumberCreate',
    response: 'WaNumber',
  },
  getWaNumber: { method: 'GET', path: '/api/v1/wa-numbers/{id}', status: 200, response: 'WaNumber' },
  updateWaNumber: {
    method: 'PATCH',
    path: '/api/v1/wa-numbers/{id}',
    status: 200,
    request: 'WaNumberUpdate',
    response: 'WaNumber',
  },
  deleteWaNumber: { method: 'DELETE', path: '/api/v1/wa-numbers/{id}', status: 204 },
  testWaNumber: { method: 'POST', path: '/api/v1/wa-numbers/{id}/test', status: 200, response: 'WaNumberTest' },
  // The team inbox.
  listConversations: { method: 'GET', path: '/api/v1/conversations', status: 200, response: 'ConversationPage' },
  getConversation: { method: 'GET', path: '/api/v1/conversations/{id}', status: 200, response: 'Conversation' },
  listMessages: { method: 'GET', path: '/api/v1/conversations/{id}/messages', status: 200, response: 'MessagePage' },
  sendMessage: {
    method: 'POST',
    path: '/api/v1/conversations/{id}/messages',
    status: 202,
    request: 'MessageSend',
    response: 'Message',
  },
  listNotes: { method: 'GET', path: '/api/v1/conversations/{id}/notes', status: 200, response: 'NotePage' },
  addNote: {
    method: 'POST',
    path: '/api/v1/conversations/{id}/notes',
    status: 201,
    request: 'NoteCreate',
    response: 'Note',
  },
  markRead: { method: 'POST', path: '/api/v1/conversations/{id}/read', status: 200, response: 'ReadMarker' },
  claim: { method: 'POST', path: '/api/v1/conversations/{id}/claim', status: 200, response: 'ChatOwner' },
  quickReplies: {
    method: 'GET',
    path: '/api/v1/conversations/{id}/quick-replies',
    status: 200,
    response: 'RenderedQuickReplies',
  },
  uploadMedia: { method: 'POST', path: '/api/v1/media', status: 201, response: 'Media' },
  transfer: {
    method: 'POST',
    path: '/api/v1/conversations/{id}/transfer',
    status: 200,
    request: 'TransferRequest',
    response: 'ChatOwner',
  },
  escalate: {
    method: 'POST',
    path: '/api/v1/conversations/{id}/escalate',
    status: 200,
    request: 'EscalateRequest',
    response: 'ChatOwner',
  },
  // Live events.
  typing: { method: 'POST', path: '/api/v1/conversations/{id}/typing', status: 202, response: 'TypingNotice' },
  conversationSla: {
    method: 'GET',
    path: '/api/v1/conversations/{id}/sla',
    status: 200,
    response: 'ConversationSla',
  },
  // Message templates.
  listTemplates: { method: 'GET', path: '/api/v1/templates', status: 200, response: 'TemplatePage' },
  createTemplate: {
    method: 'POST',
    path: '/api/v1/templates',
    status: 201,
    request: 'TemplateCreate',
    response: 'Template',
  },
  deleteTemplate: { method: 'DELETE', path: '/api/v1/templates/{id}', status: 204 },
  syncTemplates: {
    method: 'POST',
    path: '/api/v1/templates/sync',
    status: 200,
    request: 'TemplateSync',
    response: 'TemplateSyncResult',
  },
  // Contacts, their labels, and orders.
  listContacts: { method: 'GET', path: '/api/v1/contacts', status: 200, response: 'ContactPage' },
  getContact: { method: 'GET', path: '/api/v1/contacts/{id}', status: 200, response: 'ContactDetail' },
  createContact: {
    method: 'POST',
    path: '/api/v1/contacts',
    status: 201,
    request: 'ContactCreate',
    response: 'ContactDetail',
  },
  updateContact: {
    method: 'PATCH',
    path: '/api/v1/contacts/{id}',
    status: 200,
    request: 'ContactUpdate',
    response: 'ContactDetail',
  },
  deleteContact: { method: 'DELETE', path: '/api/v1/contacts/{id}', status: 204 },
  listLabels: { method: 'GET', path: '/api/v1/labels', status: 200, response: 'LabelPage' },
  setContactLabels: {
    method: 'PUT',
    path: '/api/v1/contacts/{id}/labels',
    status: 200,
    request: 'ContactLabelsSet',
    response: 'ContactLabels',
  },
  listOrders: { method: 'GET', path: '/api/v1/orders', status: 200, response: 'OrderPage' },
  createOrder: { method: 'POST', path: '/api/v1/orders', status: 201, request: 'OrderCreate', response: 'Order' },
  updateOrder: {
    method: 'PATCH',
    path: '/api/v1/orders/{id}',
    status: 200,
    request: 'OrderUpdate',
    response: 'Order',
  },
  // The owner's business settings.
  getSettings: { method: 'GET', path: '/api/v1/settings', status: 200, response: 'Settings' },
  updateSettings: {
    method: 'PUT',
    path: '/api/v1/settings',
    status: 200,
    request: 'SettingsUpdate',
    response: 'Settings',
  },
  getServiceSettings: { method: 'GET', path: '/api/v1/settings/service', status: 200, response: 'ServiceSettings' },
  updateServiceSettings: {
    method: 'PUT',
    path: '/api/v1/settings/service',
    status: 200,
    request: 'ServiceSettingsUpdate',
    response: 'ServiceSettings',
  },
  listAutoReplies: { method: 'GET', path: '/api/v1/auto-replies', status: 200, response: 'AutoReplyPage' },
  createAutoReply: {
    method: 'POST',
    path: '/api/v1/auto-replies',
    status: 201,
    request: 'AutoReplyCreate',
    response: 'AutoReply',
  },
  updateAutoReply: {
    method: 'PATCH',
    path: '/api/v1/auto-replies/{id}',
    status: 200,
    request: 'AutoReplyUpdate',
    response: 'AutoReply',
  },
  deleteAutoReply: { method: 'DELETE', path: '/api/v1/auto-replies/{id}', status: 204 },
} as const satisfies Record<string, Endpoint>;

const PROBLEM_BASE = 'https://laris.id/problems/';

// Slugs the client makes up itself, for failures that never reached the API.
export type LocalSlug = 'network' | 'timeout' | 'bad-response';

export class ApiError extends Error {
  readonly status: number; // 0 when no answer came
  readonly slug: string; // validation-failed, unauthorized, ..., or a LocalSlug
  readonly fields: FieldError[];
  readonly retryAfter: number | null; // seconds, from Retry-After on 429 and 503
  readonly requestId: string | null;
  readonly owner: string | null; // who has the chat, on a 409 from claim or reply

  constructor(
    status: number,
    slug: string,
    fields: FieldError[] = [],
    retryAfter: number | null = null,
    requestId: string | null = null,
    owner: string | null = null,
  ) {
    super(`${status} ${slug}`);
    this.name = 'ApiError';
    this.status = status;
    this.slug = slug;
    this.fields = fields;
    this.retryAfter = retryAfter;
    this.requestId = requestId;
    this.owner = owner;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const STATUS_SLUGS: Record<number, string> = {
  400: 'malformed-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'rate-limited',
  502: 'service-unavailable',
  503: 'service-unavailable',
  504: 'service-unavailable',
};

export function slugOf(type: string | undefined, status: number): string {
  if (type && type.startsWith(PROBLEM_BASE)) return type.slice(PROBLEM_BASE.length);
  return STATUS_SLUGS[status] ?? (status >= 500 ? 'internal-error' : 'malformed-request');
}

// Retry-After is either seconds or an HTTP date.
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && typeof (v as Problem).status === 'number';
}

// The problem's owner member (a 409 from claim or reply names who has the chat).
function ownerOf(body: unknown): string | null {
  const owner = (body as { owner?: unknown } | null)?.owner;
  return typeof owner === 'string' ? owner : null;
}

function validFieldErrors(v: unknown): FieldError[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (e): e is FieldError =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as FieldError).field === 'string' &&
      typeof (e as FieldError).message === 'string',
  );
}

export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

export interface ClientConfig {
  baseUrl: string;
  timeoutMs: number;
  fetch: typeof fetch;
  // Called when a call that needs a session answers 401: the session ended.
  onUnauthorized: () => void;
  // How long to wait before the one retry of a GET that got no answer.
  retryDelayMs: number;
}

interface CallOptions {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  raw?: Blob; // sent as it is, with its own type (media uploads)
  headers?: Record<string, string>;
}

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createClient(overrides: Partial<ClientConfig> = {}) {
  const config: ClientConfig = {
    baseUrl: '',
    timeoutMs: 20000,
    fetch: (...args) => globalThis.fetch(...args),
    onUnauthorized: () => {},
    retryDelayMs: 1000,
    ...overrides,
  };
  let csrfToken: string | null = null;

  async function send(ep: Endpoint, opts: CallOptions): Promise<Response> {
    let url = config.baseUrl + fillPath(ep.path, opts.params);
    if (opts.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) {
        if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
      }
      const s = q.toString();
      if (s) url += `?${s}`;
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.raw) headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
    if (UNSAFE.has(ep.method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, config.timeoutMs);
    try {
      return await config.fetch(url, {
        method: ep.method,
        headers,
        body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch {
      throw new ApiError(0, timedOut ? 'timeout' : 'network');
    } finally {
      clearTimeout(timer);
    }
  }

  async function toError(res: Response): Promise<ApiError> {
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null; // an HTML error page from a proxy, or nothing
    }
    const problem = isProblem(body) ? body : null;
    return new ApiError(
      res.status,
      slugOf(problem?.type, res.status),
      validFieldErrors(problem?.errors),
      parseRetryAfter(res.headers.get('Retry-After')),
      res.headers.get('X-Request-Id'),
      ownerOf(body),
    );
  }

  async function call<T>(ep: Endpoint, opts: CallOptions = {}): Promise<T> {
    let res: Response;
    try {
      res = await send(ep, opts);
    } catch (e) {
      // A GET that got no answer is tried once more: weak mobile connections drop requests.
      if (ep.method !== 'GET' || !(e instanceof ApiError)) throw e;
      await new Promise((r) => setTimeout(r, config.retryDelayMs));
      res = await send(ep, opts);
    }

    // A 403 on an unsafe call may mean our CSRF token belongs to an older session (the person
    // logged in again in another tab): fetch the current one and try once more if it changed.
    if (res.status === 403 && UNSAFE.has(ep.method) && ep.session !== false) {
      const sent = csrfToken;
      const fresh = await send(endpoints.me, {});
      if (fresh.ok) {
        const me = (await fresh.json()) as Me;
        if (me.csrf_token && me.csrf_token !== sent) {
          csrfToken = me.csrf_token;
          res = await send(ep, opts);
        }
      } else if (fresh.status === 401) {
        res = fresh;
      }
    }

    if (res.ok) {
      if (res.status === 204 || ep.status === 204) return undefined as T;
      let data: unknown;
      try {
        data = await res.json();
      } catch {
        throw new ApiError(res.status, 'bad-response');
      }
      const token = (data as Partial<Me> | null)?.csrf_token;
      if ((ep === endpoints.login || ep === endpoints.me) && typeof token === 'string') {
        csrfToken = token;
      }
      return data as T;
    }

    const err = await toError(res);
    if (err.status === 401 && ep.session !== false) {
      csrfToken = null;
      config.onUnauthorized();
    }
    throw err;
  }

  return {
    config,
    get csrfToken() {
      return csrfToken;
    },
    set csrfToken(value: string | null) {
      csrfToken = value;
    },
    call,
    signup: (body: SignupRequest) => call<Me>(endpoints.signup, { body }),
    login: (body: LoginRequest) => call<Me>(endpoints.login, { body }),
    logout: async () => {
      try {
        await call<void>(endpoints.logout);
      } finally {
        csrfToken = null;
      }
    },
    me: () => call<Me>(endpoints.me),
    updateMe: (body: MeUpdate) => call<User>(endpoints.updateMe, { body }),
    changePassword: (body: PasswordChange) => call<void>(endpoints.changePassword, { body }),
    setPresence: (body: PresenceChange) => call<PresenceResult>(endpoints.setPresence, { body }),
    listUsers: (cursor?: string | null, limit?: number) =>
      call<UserPage>(endpoints.listUsers, { query: { cursor, limit } }),
    createUser: (body: UserCreate) => call<User>(endpoints.createUser, { body }),
    updateUser: (id: number, body: UserUpdate) =>
      call<User>(endpoints.updateUser, { params: { id }, body }),
    deactivateUser: (id: number) => call<void>(endpoints.deactivateUser, { params: { id } }),
    listTokens: (cursor?: string | null, limit?: number) =>
      call<TokenPage>(endpoints.listTokens, { query: { cursor, limit } }),
    createToken: (body: TokenCreate) => call<TokenCreated>(endpoints.createToken, { body }),
    revokeToken: (id: number) => call<void>(endpoints.revokeToken, { params: { id } }),
    listWaNumbers: (cursor?: string | null, limit?: number) =>
      call<WaNumberPage>(endpoints.listWaNumbers, { query: { cursor, limit } }),
    createWaNumber: (body: WaNumberCreate) => call<WaNumber>(endpoints.createWaNumber, { body }),
    getWaNumber: (id: number) => call<WaNumber>(endpoints.getWaNumber, { params: { id } }),
    updateWaNumber: (id: number, body: WaNumberUpdate) =>
      call<WaNumber>(endpoints.updateWaNumber, { params: { id }, body }),
    deleteWaNumber: (id: number) => call<void>(endpoints.deleteWaNumber, { params: { id } }),
    testWaNumber: (id: number) => call<WaNumberTest>(endpoints.testWaNumber, { params: { id } }),
    listConversations: (query: Record<string, string | number | undefined | null>) =>
      call<ConversationPage>(endpoints.listConversations, { query }),
    getConversation: (id: number) => call<Conversation>(endpoints.getConversation, { params: { id } }),
    listMessages: (id: number, cursor?: string | null) =>
      call<MessagePage>(endpoints.listMessages, { params: { id }, query: { cursor, limit: 100 } }),
    // The key makes a repeated tap (or a retry after a lost answer) one message, not two.
    sendMessage: (id: number, body: MessageSend, idempotencyKey: string) =>
      call<Message>(endpoints.sendMessage, {
        params: { id },
        body,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    listNotes: (id: number, cursor?: string | null) =>
      call<NotePage>(endpoints.listNotes, { params: { id }, query: { cursor, limit: 100 } }),
    addNote: (id: number, body: NoteCreate) => call<Note>(endpoints.addNote, { params: { id }, body }),
    markRead: (id: number) => call<ReadMarker>(endpoints.markRead, { params: { id } }),
    claim: (id: number) => call<ChatOwner>(endpoints.claim, { params: { id } }),
    quickReplies: (id: number, q: string) =>
      call<RenderedQuickReplies>(endpoints.quickReplies, { params: { id }, query: { q } }),
    transfer: (id: number, body: TransferRequest) =>
      call<ChatOwner>(endpoints.transfer, { params: { id }, body }),
    escalate: (id: number, body: EscalateRequest) =>
      call<ChatOwner>(endpoints.escalate, { params: { id }, body }),
    listTemplates: (query: { status?: string; q?: string; cursor?: string | null; limit?: number }) =>
      call<TemplatePage>(endpoints.listTemplates, { query }),
    createTemplate: (body: TemplateCreate) => call<Template>(endpoints.createTemplate, { body }),
    syncTemplates: (body: TemplateSync = {}) => call<TemplateSyncResult>(endpoints.syncTemplates, { body }),
    deleteTemplate: (id: number) => call<void>(endpoints.deleteTemplate, { params: { id } }),
    uploadMedia: (file: File) =>
      call<Media>(endpoints.uploadMedia, { raw: file, query: { filename: file.name } }),
    typing: (id: number) => call<TypingNotice>(endpoints.typing, { params: { id } }),
    conversationSla: (id: number) => call<ConversationSla>(endpoints.conversationSla, { params: { id } }),
    listContacts: (query: Record<string, string | number | undefined | null>) =>
      call<ContactPage>(endpoints.listContacts, { query }),
    getContact: (id: number) => call<ContactDetail>(endpoints.getContact, { params: { id } }),
    createContact: (body: ContactCreate) => call<ContactDetail>(endpoints.createContact, { body }),
    updateContact: (id: number, body: ContactUpdate) =>
      call<ContactDetail>(endpoints.updateContact, { params: { id }, body }),
    deleteContact: (id: number) => call<void>(endpoints.deleteContact, { params: { id } }),
    listLabels: () => call<LabelPage>(endpoints.listLabels, { query: { limit: 200 } }),
    setContactLabels: (id: number, body: ContactLabelsSet) =>
      call<ContactLabels>(endpoints.setContactLabels, { params: { id }, body }),
    listOrders: (query: Record<string, string | number | undefined | null>) =>
      call<OrderPage>(endpoints.listOrders, { query }),
    // The key makes a repeated tap (or a retry after a lost answer) one order, not two.
    createOrder: (body: OrderCreate, idempotencyKey: string) =>
      call<Order>(endpoints.createOrder, { body, headers: { 'Idempotency-Key': idempotencyKey } }),
    updateOrder: (id: number, body: OrderUpdate) =>
      call<Order>(endpoints.updateOrder, { params: { id }, body }),
    getSettings: () => call<Settings>(endpoints.getSettings),
    updateSettings: (body: SettingsUpdate) => call<Settings>(endpoints.updateSettings, { body }),
    getServiceSettings: () => call<ServiceSettings>(endpoints.getServiceSettings),
    updateServiceSettings: (body: ServiceSettingsUpdate) =>
      call<ServiceSettings>(endpoints.updateServiceSettings, { body }),
    listAutoReplies: (cursor?: string | null) =>
      call<AutoReplyPage>(endpoints.listAutoReplies, { query: { cursor, limit: 100 } }),
    createAutoReply: (body: AutoReplyCreate) => call<AutoReply>(endpoints.createAutoReply, { body }),
    updateAutoReply: (id: number, body: AutoReplyUpdate) =>
      call<AutoReply>(endpoints.updateAutoReply, { params: { id }, body }),
    deleteAutoReply: (id: number) => call<void>(endpoints.deleteAutoReply, { params: { id } }),
  };
}

export type ApiClient = ReturnType<typeof createClient>;

// The app's one client.
export const api = createClient();
