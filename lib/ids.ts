import { randomBytes } from "node:crypto";
import { ObjectId } from "bson";

/** 24-hex ids, the shape the seed API uses for every `_id`. */
export const newId = (): string => new ObjectId().toHexString();

/** Correlation id shared by a parent job, its table jobs and their errors. */
export const newFlowExecutionGroupId = (): string => randomBytes(16).toString("hex");

export const isObjectId = (value: string): boolean => /^[0-9a-f]{24}$/i.test(value);
