export const REVEAL_REASON_MIN = 4;

/**
 * Why a reason for seeing a full ID number or phone is not one, or null. A reason is read by the auditor: it
 * must say something — at least four characters, two of them different letters or 汉字 (not "..", "1234" or
 * "啊啊啊啊"). Shared by the server's schema and the web form.
 */
export function revealReasonProblem(reason: string): string | null {
  const s = reason.trim();
  const letters = [...s].filter((ch) => /\p{L}/u.test(ch));
  if ([...s].length < REVEAL_REASON_MIN || letters.length < 2 || new Set(letters).size < 2)
    return `请写明查看原因（至少 ${REVEAL_REASON_MIN} 个字，例如“办理特别扶助金，核对身份证号”）`;
  return null;
}
