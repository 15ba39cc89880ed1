/*
 * Copyright 2026 The Paved Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 */
import { InputError } from '@backstage/errors';

/**
 * Manifest templating: string values may contain `${{ <expr> }}` placeholders, where `<expr>` is one of
 * `parameters` (all parameters), `parameters.<a>.<b>` (a parameter, dotted path), `resource.name`, `resource.id`,
 * `resource.owner` (entity ref), `resource.ownerName` (the group's name), `namespace`.
 * A string that is exactly one placeholder takes the value's type (number, boolean, object); a placeholder
 * that resolves to nothing removes the key. Inside a longer string the value is inserted as text (only
 * strings, numbers and booleans). Keys are never templated and nothing is evaluated.
 */
const PLACEHOLDER = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const WHOLE = /^\$\{\{\s*([^}]*?)\s*\}\}$/;
const EXPRESSION =
  /^(parameters(\.[A-Za-z_][A-Za-z0-9_-]*)*|resource\.(name|id|owner|ownerName)|namespace)$/;

/** Values placeholders resolve against. @internal */
export interface TemplateContext {
  parameters: Record<string, unknown>;
  resource: { name: string; id: string; owner: string; ownerName: string };
  namespace: string;
}

function resolve(expr: string, ctx: TemplateContext): unknown {
  const parts = expr.split('.');
  let value: unknown = ctx;
  for (const part of parts) {
    if (
      value === null ||
      typeof value !== 'object' ||
      !Object.hasOwn(value, part)
    ) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Every placeholder expression in a template (for validation). @internal */
export function templateExpressions(template: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown) => {
    if (typeof node === 'string') {
      for (const m of node.matchAll(PLACEHOLDER)) {
        found.push(m[1]);
      }
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node && typeof node === 'object') {
      Object.values(node).forEach(visit);
    }
  };
  visit(template);
  return found;
}

/**
 * Checks that every placeholder is a supported expression.
 * @throws InputError naming the first unsupported placeholder.
 * @internal
 */
export function validateTemplate(template: unknown, where: string): void {
  for (const expr of templateExpressions(template)) {
    if (!EXPRESSION.test(expr)) {
      throw new InputError(
        `${where}: unsupported placeholder '\${{ ${expr} }}' (allowed: parameters, parameters.<name>, resource.name, resource.id, resource.owner, resource.ownerName, namespace)`,
      );
    }
  }
}

/** True when the value contains a placeholder. @internal */
export function hasPlaceholder(value: unknown): boolean {
  return templateExpressions(value).length > 0;
}

function renderString(value: string, ctx: TemplateContext): unknown {
  const whole = WHOLE.exec(value);
  if (whole && !value.slice(3).includes('${{')) {
    return resolve(whole[1], ctx);
  }
  return value.replace(PLACEHOLDER, (_m, expr: string) => {
    const v = resolve(expr, ctx);
    if (v === undefined || v === null) {
      return '';
    }
    if (typeof v === 'object') {
      throw new InputError(
        `placeholder '\${{ ${expr} }}' is an object and cannot be inserted into text`,
      );
    }
    return String(v);
  });
}

/**
 * Renders a template (a JSON-like object) against the context; returns a new value.
 * @throws InputError when an object value would be inserted into text.
 * @internal
 */
export function renderTemplate(
  template: unknown,
  ctx: TemplateContext,
): unknown {
  if (typeof template === 'string') {
    const rendered = renderString(template, ctx);
    return rendered === undefined ? undefined : structuredClone(rendered);
  }
  if (Array.isArray(template)) {
    return template
      .map(item => renderTemplate(item, ctx))
      .filter(item => item !== undefined);
  }
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = renderTemplate(value, ctx);
      if (rendered !== undefined) {
        out[key] = rendered;
      }
    }
    return out;
  }
  return template;
}
