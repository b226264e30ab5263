import { maskIdNumber, maskPhone } from '../../../common/mask.js';
import { idNumberTail } from '../../../common/name-grams.js';
import type { CryptoProvider } from './crypto-provider.js';

/**
 * How a sensitive value is stored: SM4 ciphertext bound to its row and column (the AAD), an HMAC-SM3
 * blind index for exact search, and the mask lists show. The one place that decides these three columns.
 */
export function sealPhone(crypto: CryptoProvider, aad: string, phone: string | null) {
  return {
    phone_enc: phone ? crypto.encrypt(phone, aad) : null,
    // A blind index of nothing would make every blank phone "match": no value, no index.
    phone_idx: phone ? crypto.blindIndex('phone', phone) : null,
    phone_mask: phone ? maskPhone(phone) : null,
  };
}

export function sealIdNumber(crypto: CryptoProvider, aad: string, idNumber: string) {
  return {
    id_number_enc: crypto.encrypt(idNumber, aad),
    id_number_idx: crypto.blindIndex('id_number', idNumber),
    id_number_mask: maskIdNumber(idNumber),
    // Cadres read out the last six: a keyed index of them, never the plain digits (see idNumberTailIndex).
    id_number_tail_idx: idNumberTailIndex(crypto, idNumber),
  };
}

/** The blind index of an ID number's last 6 characters, for the search by what cadres read out. */
export function idNumberTailIndex(crypto: CryptoProvider, idNumberOrTail: string): string {
  return crypto.blindIndex('id_number_tail6', idNumberTail(idNumberOrTail));
}
