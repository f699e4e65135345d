#!/usr/bin/env node
import { viewMain } from '../view-main.js';

await viewMain(process.argv);
