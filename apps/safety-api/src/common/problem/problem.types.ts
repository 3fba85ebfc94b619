/** How one stable error `code` is presented as RFC 9457 problem+json. */
export interface ProblemSpec {
  status: number;
  title: string;
}

/** One entry of `errors` in a validation problem: JSON Pointer into the request body. */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

/** The body of every non-2xx response. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  request_id: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}
