// `ar-http/client`: the OpenAPI-driven AsyncClient, without the native binding.
export { ArHttpError, ArHttpTypeError, ErrorCodes, type ErrorCode } from '../errors';
export { AsyncClient, DEFAULT_TIMEOUT_MS, type AsyncClientConstructor, type AsyncClientOptions } from './AsyncClient';
export { ArHttpStatusError } from './clientErrors';
export { descriptionModule, type DescriptionModuleOptions } from './descriptionModule';
export type { ClientResponse } from './exchange';
export type { Injectable, InjectedResponse, LocalApp } from './localTransport';
export { HTTP_VERBS, type HttpVerb, type OpenApiDocument } from './openApiDocument';
export type {
  AsyncClientMethods,
  CallOptions,
  ChainOf,
  DescriptionShape,
  DynamicNode,
  OperationArguments,
  OperationResult,
  QueryValue,
  ReservedRootName,
  SchemaType,
  SpecialArguments,
  TypedNode,
  TypedPath,
  TypedVerb,
  UntypedVerb,
} from './types';
