export { openConfig, sealConfig, urlFingerprint, urlFingerprints } from "./config";
export { generateKey, keyring, MissingKeyError, parseKey } from "./keys";
export { fingerprintsAllKeys, isSealed, openValue, SealError, sealValue } from "./seal";
export { type RotateResult, rotateStoredSecrets } from "./rotate";
