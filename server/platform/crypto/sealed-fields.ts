import { maskIdNumber, maskPhone } from '../../../common/mask.js';
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
  };
}
