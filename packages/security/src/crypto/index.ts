export {
  createFieldCipher,
  type FieldAad,
  type FieldCipher,
  FieldCipherError,
  fieldAad,
} from "./field-cipher";
export { generateKey, KEY_BYTES, type Keyring, KeyringError, parseKeyring } from "./keyring";
export { deriveKey, hashToken, randomToken, SCRYPT_PARAMS, safeEqual } from "./tokens";
