// The passwords the function makes, and what it sends to the server instead of them. A password
// is 40 letters and digits from the CSPRNG (238 bits): no character that DMS, a libpq connection
// string or a shell would need to escape. The server receives a SCRAM-SHA-256 verifier computed
// here, so the password itself never appears in a statement the server might log.
import { createHash, createHmac, pbkdf2Sync, randomBytes, randomInt } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const PASSWORD_LENGTH = 40;

export function generatePassword(length = PASSWORD_LENGTH): string {
  let password = "";
  for (let index = 0; index < length; index++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

const SCRAM_ITERATIONS = 4096;

/** `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, as PostgreSQL stores a password. */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16)): string {
  // PostgreSQL applies SASLprep; an ASCII letters-and-digits password is its own normal form.
  const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${SCRAM_ITERATIONS}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
