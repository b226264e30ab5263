/** String bounds, defined once for the server's schemas and the web forms. */
export const LIMITS = {
  username: 32,
  displayName: 50,
  password: 128,
  name: 50,
  address: 200,
  shortText: 200,
  longText: 2000,
  search: 50,
} as const;

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const REGION_CODE_PATTERN = /^\d{12}$/;
