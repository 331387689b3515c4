/**
 * The pieces of Zapier's app definition this app builds (the subsets of `zapier-platform-schema` it uses), in one
 * place so that the mappers, the overrides and the trigger, create and search builders share them without importing
 * each other.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';

/** Zapier's input field (the subset of `PlainInputFieldSchema` this app uses). */
export interface ZapierInputField {
  key: string;
  label: string;
  type?: 'string' | 'text' | 'integer' | 'number' | 'boolean' | 'datetime' | 'file' | 'password' | 'code' | 'json';
  required?: boolean;
  helpText?: string;
  placeholder?: string;
  default?: string;
  list?: boolean;
  choices?: { value: string; label: string; sample: string }[];
  dynamic?: string;
  search?: string;
  children?: ZapierInputField[];
  group?: string;
  altersDynamicFields?: boolean;
}

export interface ZapierOutputField {
  key: string;
  label: string;
  type?: 'string' | 'number' | 'boolean' | 'datetime' | 'file' | 'integer';
  list?: boolean;
}

export type Perform = (z: ZObject, bundle: Bundle) => Promise<unknown>;
/** Zapier's dynamic fields: a function in `inputFields` answering fields from what the form holds so far. */
export type DynamicFields = (z: ZObject, bundle: Bundle) => ZapierInputField[];
/** A form: plain fields, and functions where the form depends on an `altersDynamicFields` field. */
export type ZapierFormField = ZapierInputField | DynamicFields;
export type Sample = Record<string, unknown>;

/** A trigger, create or search: what `app.triggers`, `app.creates` and `app.searches` hold by key. */
export interface ZapierOperation {
  key: string;
  noun: string;
  display: { label: string; description: string; hidden?: boolean };
  operation: {
    type?: 'polling';
    canPaginate?: boolean;
    perform: Perform;
    inputFields?: ZapierFormField[];
    inputFieldGroups?: { key: string; label: string }[];
    outputFields?: ZapierOutputField[];
    sample?: Sample;
  };
}

export interface ZapierSearchOrCreate {
  key: string;
  display: { label: string; description: string };
  search: string;
  create: string;
}
