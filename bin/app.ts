#!/usr/bin/env node
import { buildApp } from '../lib/app';

// Synthesized by the CDK CLI (cdk.json "app"); the App synthesizes itself when the process ends.
buildApp();
