import type { FormInstance } from 'antd';
import { ApiError, errorMessage } from '../api/client';

/**
 * Puts an error's `details[].path` messages (VALIDATION_FAILED, or CONFLICT such as a taken username)
 * on the matching form fields.
 * Returns what could not be placed on a field, for an Alert above the form.
 */
export function applyServerErrors(form: FormInstance, err: unknown, fields: readonly string[]): string | null {
  if (!(err instanceof ApiError) || err.details.length === 0) {
    return errorMessage(err);
  }
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const detail of err.details) {
    const field = detail.path.split('.')[0] ?? '';
    if (fields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), detail.message]);
    else unplaced.push(detail.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  if (unplaced.length > 0) return unplaced.join('；');
  return byField.size > 0 ? null : errorMessage(err);
}
