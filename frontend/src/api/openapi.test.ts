// Holds the hand-written API types (their shapes in types.ts) and the client's route table to
// src/api/openapi.yaml: a property, a required list, a nullable type, an enum, a route or a
// status that changes there fails here until types.ts and client.ts follow.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { endpoints } from './client';
import { enums, shapes, type ShapeName, type ShapeValue } from './types';

const OPENAPI = new URL('../../../src/api/openapi.yaml', import.meta.url);

interface Schema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
  oneOf?: Schema[];
}
interface Operation {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

function load(): Doc {
  return parse(readFileSync(OPENAPI, 'utf8')) as Doc;
}

function resolve(doc: Doc, s: Schema): Schema {
  if (!s.$ref) return s;
  const name = s.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`unresolved $ref ${s.$ref}`);
  return resolve(doc, target);
}

// openapi.yaml's view of a schema in the same terms as types.ts's shapes.
function shapeOf(doc: Doc, schema: Schema): Record<string, ShapeValue> {
  const s = resolve(doc, schema);
  // A oneOf (the reply body, one alternative per type): a property is required when every
  // alternative requires it, and optional when only some have it.
  if (s.oneOf) {
    const alternatives = s.oneOf.map((alt) => shapeOf(doc, alt));
    const out: Record<string, ShapeValue> = {};
    for (const alt of alternatives) {
      for (const [name, value] of Object.entries(alt)) {
        const everywhere = alternatives.every((a) => a[name]?.startsWith('required'));
        out[name] = everywhere ? value : (value.replace('required', 'optional') as ShapeValue);
      }
    }
    return out;
  }
  const required = new Set(s.required ?? []);
  const out: Record<string, ShapeValue> = {};
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const nullable = Array.isArray(prop.type) && prop.type.includes('null');
    out[name] = `${required.has(name) ? 'required' : 'optional'}${nullable ? ' nullable' : ''}`;
  }
  for (const name of required) {
    if (!(name in out)) throw new Error(`required property ${name} is not described`);
  }
  return out;
}

function jsonSchema(op: Operation, status: string): Schema | undefined {
  const response = op.responses[status];
  return response?.content?.['application/json']?.schema;
}

// Every difference between the types and openapi.yaml, as readable lines.
function drift(doc: Doc): string[] {
  const problems: string[] = [];
  const compare = (what: string, ours: Record<string, string>, theirs: Record<string, string>) => {
    const names = new Set([...Object.keys(ours), ...Object.keys(theirs)]);
    for (const n of names) {
      if (ours[n] !== theirs[n]) {
        problems.push(`${what}.${n}: types.ts says ${ours[n] ?? 'absent'}, openapi.yaml says ${theirs[n] ?? 'absent'}`);
      }
    }
  };
  const components: ShapeName[] = ['User', 'Tenant', 'Me', 'UserPage', 'TokenPage', 'Token', 'Problem', 'WaNumber', 'WaNumberPage'];
  for (const name of components) {
    const schema = doc.components.schemas[name];
    if (!schema) problems.push(`components.schemas.${name} is missing`);
    else compare(name, shapes[name], shapeOf(doc, schema));
  }
  const meToken = doc.components.schemas.Me?.properties?.token;
  if (meToken) compare('MeToken', shapes.MeToken, shapeOf(doc, meToken));
  const fieldError = doc.components.schemas.Problem?.properties?.errors?.items;
  if (fieldError) compare('FieldError', shapes.FieldError, shapeOf(doc, fieldError));
  else problems.push('Problem.errors.items is missing');

  for (const [name, ep] of Object.entries(endpoints)) {
    const op = doc.paths[ep.path]?.[ep.method.toLowerCase()];
    if (!op) {
      problems.push(`${name}: ${ep.method} ${ep.path} is not in openapi.yaml`);
      continue;
    }
    if (!op.responses[String(ep.status)]) {
      problems.push(`${name}: ${ep.method} ${ep.path} does not answer ${ep.status}`);
    }
    const body = op.requestBody?.content['application/json']?.schema;
    const request = 'request' in ep ? ep.request : undefined;
    if (body && !request) problems.push(`${name}: has a request body the client does not type`);
    if (request) {
      if (!body) problems.push(`${name}: the client sends a body openapi.yaml does not describe`);
      else compare(`${name} request`, shapes[request], shapeOf(doc, body));
    }
    const response = 'response' in ep ? ep.response : undefined;
    const answer = jsonSchema(op, String(ep.status));
    if (response) {
      if (!answer) problems.push(`${name}: openapi.yaml describes no JSON body for ${ep.status}`);
      else compare(`${name} response`, shapes[response], shapeOf(doc, answer));
    } else if (answer) {
      problems.push(`${name}: answers a JSON body the client does not type`);
    }
  }

  const enumOf = (path: string): string[] | undefined => {
    const [schemaName, prop] = path.split('.');
    if (schemaName === 'UserCreate' || schemaName === 'UserUpdate') {
      const ep = schemaName === 'UserCreate' ? endpoints.createUser : endpoints.updateUser;
      const op = doc.paths[ep.path]?.[ep.method.toLowerCase()];
      const s = op?.requestBody?.content['application/json']?.schema;
      return s ? resolve(doc, s).properties?.[prop ?? '']?.enum : undefined;
    }
    const s = doc.components.schemas[schemaName ?? ''];
    if (!s) return undefined;
    return prop ? resolve(doc, s).properties?.[prop]?.enum : s.enum;
  };
  for (const [path, values] of Object.entries(enums)) {
    const theirs = enumOf(path);
    if (JSON.stringify(theirs) !== JSON.stringify(values)) {
      problems.push(`enum ${path}: types.ts says ${values.join('|')}, openapi.yaml says ${theirs?.join('|') ?? 'absent'}`);
    }
  }

  // Properties that hold other schemas point at the ones the types use.
  const refs: [string, Schema | undefined, string][] = [
    ['Me.user', doc.components.schemas.Me?.properties?.user, 'User'],
    ['Me.tenant', doc.components.schemas.Me?.properties?.tenant, 'Tenant'],
    ['UserPage.items', doc.components.schemas.UserPage?.properties?.items?.items, 'User'],
    ['TokenPage.items', doc.components.schemas.TokenPage?.properties?.items?.items, 'Token'],
    ['User.role', doc.components.schemas.User?.properties?.role, 'Role'],
    ['User.presence', doc.components.schemas.User?.properties?.presence, 'Presence'],
    ['User.locale', doc.components.schemas.User?.properties?.locale, 'Locale'],
    ['Token.role', doc.components.schemas.Token?.properties?.role, 'Role'],
    ['WaNumberPage.items', doc.components.schemas.WaNumberPage?.properties?.items?.items, 'WaNumber'],
  ];
  for (const [what, s, target] of refs) {
    if (s?.$ref !== `#/components/schemas/${target}`) problems.push(`${what} is not a ${target}`);
  }
  return problems;
}

describe('types.ts and client.ts against openapi.yaml', () => {
  it('have no drift', () => {
    expect(drift(load())).toEqual([]);
  });

  it('notice a new required property', () => {
    const doc = load();
    const user = doc.components.schemas.User!;
    user.properties = { ...user.properties, phone: { type: 'string' } };
    user.required = [...(user.required ?? []), 'phone'];
    expect(drift(doc)).toContain('User.phone: types.ts says absent, openapi.yaml says required');
  });

  it('notice a property that became optional or nullable', () => {
    const doc = load();
    const token = doc.components.schemas.Token!;
    token.required = token.required!.filter((r) => r !== 'hint');
    token.properties!.created_at = { type: ['string', 'null'] };
    const d = drift(doc);
    expect(d).toContain('Token.hint: types.ts says required, openapi.yaml says optional');
    expect(d).toContain('Token.created_at: types.ts says required, openapi.yaml says required nullable');
  });

  it('notice a changed request body, enum and route', () => {
    const doc = load();
    const login = doc.paths['/api/v1/auth/login']!.post!;
    login.requestBody!.content['application/json']!.schema.properties!.otp = { type: 'string' };
    doc.components.schemas.Presence!.enum = ['online', 'offline'];
    delete doc.paths['/api/v1/tokens/{id}'];
    const d = drift(doc);
    expect(d).toContain('login request.otp: types.ts says absent, openapi.yaml says optional');
    expect(d).toContain('enum Presence: types.ts says online|away|offline, openapi.yaml says online|offline');
    expect(d).toContain('revokeToken: DELETE /api/v1/tokens/{id} is not in openapi.yaml');
  });
});
