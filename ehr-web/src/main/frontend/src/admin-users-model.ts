/**
 * User administration (issue #8), the part without DOM: the user list's types, the new-user form's validation
 * (the same rules the server applies, so most mistakes are shown before sending), and which form field a server
 * error code belongs to.
 */

export const STAFF_ROLES = ['clinician', 'nurse', 'researcher', 'tenant-admin'] as const;
export type StaffRole = typeof STAFF_ROLES[number];

export const ROLE_LABELS: Record<StaffRole, string> = {
  clinician: 'Clinician', nurse: 'Nurse', researcher: 'Researcher', 'tenant-admin': 'Administrator',
};

export interface UserView {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  institution: string | null;
  role: StaffRole | null;
  enabled: boolean;
  practitionerId: string | null;
}

/** A page of GET api/admin/users: {@code next} is the {@code first} of the following page (absent at the end). */
export interface UserList {
  users: UserView[];
  next?: number | null;
}

export interface CreatedView {
  user: UserView;
  credential: 'temporary-password' | 'none';
}

export interface NewUserDraft {
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  password: string;
}

export type UserField = keyof NewUserDraft;
export type FieldErrors = Partial<Record<UserField, string>>;

export const emptyDraft = (): NewUserDraft =>
  ({ username: '', firstName: '', lastName: '', email: '', role: 'clinician', password: '' });

const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$/;

/** What must be fixed before the form is sent, per field (empty: nothing). */
export function validateNewUser(d: NewUserDraft): FieldErrors {
  const errors: FieldErrors = {};
  if (!USERNAME.test(d.username.trim().toLowerCase())) {
    errors.username = '3 to 64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit.';
  }
  if (!d.firstName.trim()) errors.firstName = 'Enter the first name.';
  if (!d.lastName.trim()) errors.lastName = 'Enter the last name.';
  if (!EMAIL.test(d.email.trim())) errors.email = 'Enter an e-mail address such as name@hospital.example.';
  if (!(STAFF_ROLES as readonly string[]).includes(d.role)) errors.role = 'Choose a role.';
  if (d.password && (d.password.length < 8 || d.password.length > 128)) {
    errors.password = 'A temporary password has 8 to 128 characters (or leave it empty).';
  }
  return errors;
}

/** The body of POST api/admin/users; an empty password is left out (the account then has no credential). */
export function toCreateRequest(d: NewUserDraft): Record<string, string> {
  const body: Record<string, string> = { username: d.username.trim().toLowerCase(), firstName: d.firstName.trim(),
    lastName: d.lastName.trim(), email: d.email.trim(), role: d.role };
  if (d.password) body.password = d.password;
  return body;
}

/** The form field a server error code is about (EHR-09xx of user administration); undefined: about the form. */
export function fieldOfError(code: string | undefined): UserField | undefined {
  switch (code) {
    case 'EHR-0907': case 'EHR-0908': return 'username';
    case 'EHR-0909': case 'EHR-0913': return 'email';
    case 'EHR-0910': return 'lastName';
    case 'EHR-0902': case 'EHR-0903': return 'role';
    case 'EHR-0911': return 'password';
    default: return undefined;
  }
}

/** The server's message without its code prefix, for showing at a field. */
export function plainMessage(message: string): string {
  return message.replace(/^EHR-\d{4}\s*/, '');
}

export function displayName(u: Pick<UserView, 'firstName' | 'lastName' | 'username'>): string {
  const name = `${u.firstName ?? ''} ${u.lastName ?? ''}`.trim();
  return name || u.username;
}

/** What the administrator is told after creating an account. */
export function createdNotice(c: CreatedView): string {
  return c.credential === 'temporary-password'
    ? `${c.user.username} was created. Give them the temporary password; they choose their own at first sign-in.`
    : `${c.user.username} was created without a password and nothing was sent. Set a temporary password to let `
      + 'them sign in.';
}
