/** A Japanese (or any other) section must have exactly the English section's keys. */
export type SectionOf<En> = { readonly [K in keyof En]: string };
