import { describe, expect, it } from 'vitest';
import { DEFAULT_MFA_ROLES, loadConfig } from '../config.js';

const PROD = { NODE_ENV: 'production', GUANHUAI_MASTER_KEY: 'ab'.repeat(32) };

describe('account-security configuration', () => {
  it('requires a second factor of the 三员 and county level and above in production, of nobody in demo mode', () => {
    expect(loadConfig(PROD).mfaRequiredRoles).toEqual([...DEFAULT_MFA_ROLES]);
    expect(DEFAULT_MFA_ROLES).toEqual(
      expect.arrayContaining(['sysadmin', 'security_admin', 'auditor', 'county_staff', 'province_staff']),
    );
    expect(DEFAULT_MFA_ROLES).not.toContain('village_staff');
    expect(loadConfig({ GUANHUAI_DEMO: '1' }).mfaRequiredRoles).toEqual([]);
    expect(loadConfig({ ...PROD, MFA_REQUIRED_ROLES: 'none' }).mfaRequiredRoles).toEqual([]);
    expect(loadConfig({ ...PROD, MFA_REQUIRED_ROLES: 'auditor, contact' }).mfaRequiredRoles).toEqual([
      'auditor',
      'contact',
    ]);
    expect(() => loadConfig({ ...PROD, MFA_REQUIRED_ROLES: 'root' })).toThrow(/MFA_REQUIRED_ROLES/);
  });

  it('reads the throttle settings and refuses a malformed ADMIN_ALLOWED_NETWORKS at start', () => {
    const config = loadConfig({
      ACCOUNT_LOCK_THRESHOLD: '80',
      ACCOUNT_LOCK_SOURCES: '8',
      LOGIN_IP_THRESHOLD: '30',
      ADMIN_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8',
    });
    expect(config.loginThrottle).toMatchObject({ accountThreshold: 80, accountSources: 8, ipThreshold: 30 });
    expect(config.adminAllowedNetworks).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(loadConfig({}).adminAllowedNetworks).toEqual([]);
    expect(() => loadConfig({ ADMIN_ALLOWED_NETWORKS: '10.0.0.0/40' })).toThrow(/ADMIN_ALLOWED_NETWORKS/);
  });
});
