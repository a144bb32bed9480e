// auth: decides who a Satellite client is, from the JWT in its SatAuthReq, exactly as Electric 0.12.1 does
// (notes §1.3 for the rules, §3.5 for the flow).
//
//   const validator = createTokenValidator(config.auth);          // once per process
//   const result = await validator.validate(satAuthReq.token);
//   if (!result.ok) reply SatErrorResp{ error_type: authErrorTypes.authenticate }   // renewal: authErrorTypes.renew
//   else session.userId = result.userId
//
// Invariants:
// - validate() never throws: every refusal is `{ ok: false, code, message }` with a code from tokenErrorCodes.
// - Messages name the problem and the fix and never contain the token or any text taken from it.
// - Time comes from the injected clock (`now`, milliseconds) so tests never sleep; 2 s of clock drift is allowed.
// - No sockets and no session state here: renewal (same user id only) and one connection per client id belong to ws/.
export {
  createTokenValidator,
  maxClockDriftSeconds,
  maxTokenLength,
  type TokenValidator,
  type TokenValidatorOptions,
  type TokenValidation,
  type TokenAccepted,
  type TokenRejected,
} from './token-validator.ts';
export { tokenErrorCodes, authErrorTypes, type TokenErrorCode, type AuthErrorType } from './token-errors.ts';
