import type { FormRule } from 'antd';
import { passwordHint, passwordProblem } from '../../../../common/password-policy';

/** The hint under every new-password field, from the policy the server applies. */
export const PASSWORD_HINT = passwordHint();

/**
 * Checks a new password as it is typed with the server's own policy module (blocklist, invisible characters,
 * NFKC, classes, username). The server still decides: it applies the configured policy and the history.
 */
export function passwordPolicyRule(username?: () => string | undefined): FormRule {
  return {
    validator: async (_, value: string | undefined) => {
      if (!value) return;
      const problem = passwordProblem(value, undefined, username?.() || undefined);
      if (problem) throw new Error(problem.message);
    },
  };
}
