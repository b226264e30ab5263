/**
 * The part of sm-crypto 0.5.8 (CommonJS, no bundled types) that sm2.ts uses.
 *
 * `sm4` is deliberately not declared: field encryption goes through CryptoProvider, and
 * sm-crypto's SM4 defaults to ECB.
 */
declare module 'sm-crypto' {
  interface SmKeyPairHex {
    privateKey: string;
    publicKey: string;
  }

  /** A precomputed signing point: k and x1 are jsbn BigIntegers. */
  interface SmSignPoint {
    k: unknown;
    x1: unknown;
  }

  interface SmRandom {
    nextBytes(bytes: number[]): void;
  }

  interface Sm2Api {
    generateKeyPairHex(bits?: number, rng?: SmRandom): SmKeyPairHex;
    getPublicKeyFromPrivateKey(privateKey: string): string;
    verifyPublicKey(publicKey: string): boolean;
    /** cipherMode 1 = C1C3C2 (GB/T 32918.4), 0 = C1C2C3. Output omits C1's 04 prefix. */
    doEncrypt(msg: string | number[], publicKey: string, cipherMode?: 0 | 1): string;
    doDecrypt(encrypted: string, privateKey: string, cipherMode: 0 | 1, options: { output: 'array' }): number[];
    doDecrypt(encrypted: string, privateKey: string, cipherMode?: 0 | 1, options?: { output?: 'string' }): string;
    doSignature(
      msg: string | number[],
      privateKey: string,
      options?: { pointPool?: SmSignPoint[]; der?: boolean; hash?: boolean; publicKey?: string; userId?: string },
    ): string;
    doVerifySignature(
      msg: string | number[],
      signHex: string,
      publicKey: string,
      options?: { der?: boolean; hash?: boolean; userId?: string },
    ): boolean;
    getPoint(): SmSignPoint & SmKeyPairHex;
  }

  interface Sm3Api {
    (input: string | number[], options?: { key: string | number[] }): string;
  }

  const smCrypto: { sm2: Sm2Api; sm3: Sm3Api };
  export default smCrypto;
}
